//! The sandbox as the tests' Meta: started at a fixed instant, with a clock the client shares
//! (sleeping on it moves the sandbox's time, so waits cost no real time), and a browser-like
//! walk through the consent page to get an authorization code.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use insightdesk_graph::clock::Sleep;
use insightdesk_graph::{
    ApiVersion, AppCredentials, Clock, Endpoints, GraphClient, InMemoryExclusions, LoginKind,
    RetryPolicy,
};
use insightdesk_sandbox::{
    BucConfig, ClockConfig, DemoCredentials, FaultPlan, Sandbox, SandboxConfig, parse_instant,
};
use insightdesk_secret::Sensitive;

/// The day the demo creator has two years of history (the sandbox's own test instant).
pub const NOW: &str = "2026-11-26T12:00:00Z";

pub fn at(text: &str) -> DateTime<Utc> {
    parse_instant(text).expect("a valid instant")
}

/// The client's clock is the sandbox's: waiting moves the sandbox's time forward.
pub struct SandboxClock {
    sandbox: Arc<Sandbox>,
    slept: Mutex<Duration>,
}

impl SandboxClock {
    pub fn slept(&self) -> Duration {
        *self.slept.lock().unwrap()
    }
}

impl Clock for SandboxClock {
    fn now(&self) -> DateTime<Utc> {
        self.sandbox.now()
    }

    fn sleep_until(&self, deadline: DateTime<Utc>) -> Sleep<'_> {
        let now = self.sandbox.now();
        if deadline > now {
            *self.slept.lock().unwrap() += (deadline - now).to_std().unwrap();
            self.sandbox.set_now(deadline);
        }
        Box::pin(tokio::task::yield_now())
    }
}

pub struct Meta {
    pub sandbox: Arc<Sandbox>,
    pub creds: DemoCredentials,
    pub clock: Arc<SandboxClock>,
    pub exclusions: Arc<InMemoryExclusions>,
}

pub async fn start() -> Meta {
    start_with(NOW, FaultPlan::none(), BucConfig::default()).await
}

pub async fn start_at(now: &str) -> Meta {
    start_with(now, FaultPlan::none(), BucConfig::default()).await
}

pub async fn start_with(now: &str, faults: FaultPlan, buc: BucConfig) -> Meta {
    crate::logger::install();
    let config = SandboxConfig {
        seed: 42,
        clock: ClockConfig::Fixed(at(now)),
        port: None,
        faults,
        buc,
    };
    let sandbox = Arc::new(Sandbox::start(config).await.expect("the sandbox starts"));
    let creds = sandbox.credentials();
    let clock = Arc::new(SandboxClock {
        sandbox: Arc::clone(&sandbox),
        slept: Mutex::new(Duration::ZERO),
    });
    Meta {
        sandbox,
        creds,
        clock,
        exclusions: Arc::new(InMemoryExclusions::new()),
    }
}

/// Quick retries: the tests' clock is the sandbox's, so backoff costs no real time anyway.
pub fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(200),
        ..RetryPolicy::default()
    }
}

impl Meta {
    pub fn endpoints(&self) -> Endpoints {
        Endpoints::sandbox(&self.sandbox.base_url())
    }

    pub fn app(&self, login: LoginKind) -> AppCredentials {
        let app = match login {
            LoginKind::Facebook => &self.creds.facebook_app,
            LoginKind::Instagram => &self.creds.instagram_app,
        };
        AppCredentials {
            app_id: app.app_id.clone(),
            app_secret: Some(Sensitive::new(app.app_secret.clone())),
        }
    }

    pub fn token(&self, login: LoginKind) -> Sensitive<String> {
        Sensitive::new(match login {
            LoginKind::Facebook => self.creds.user_token.access_token.clone(),
            LoginKind::Instagram => self.creds.instagram_token.access_token.clone(),
        })
    }

    /// A client for the demo creator with the demo token and app secret.
    pub fn client(&self, login: LoginKind) -> GraphClient {
        self.builder(login).build().expect("a client")
    }

    pub fn builder(&self, login: LoginKind) -> insightdesk_graph::GraphClientBuilder {
        let secret = self
            .app(login)
            .app_secret
            .expect("the demo app has a secret");
        GraphClient::builder(login)
            .endpoints(self.endpoints())
            .version(ApiVersion::LATEST)
            .token(self.token(login))
            .app_secret(secret)
            .account(self.creds.ig_user_id.clone())
            .clock(Arc::clone(&self.clock) as Arc<dyn Clock>)
            .exclusions(Arc::clone(&self.exclusions) as Arc<dyn insightdesk_graph::MetricExclusions>)
            .retry(quick_retry())
            .timeout(Duration::from_secs(10))
    }

    /// Walks the consent page like a browser that clicks Allow and returns the `code` of the
    /// redirect (with the `#_` Instagram appends still on it).
    pub async fn consent(&self, authorize_url: &str) -> (Sensitive<String>, Option<String>) {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let page = http
            .get(authorize_url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let action = unescape(between(&page, "action=\"", "\"").expect("a consent form"));
        let mut form: Vec<(String, String)> = Vec::new();
        for input in page.split("<input").skip(1) {
            let tag = input.split('>').next().unwrap_or_default();
            if let (Some(name), Some(value)) = (
                between(tag, "name=\"", "\""),
                between(tag, "value=\"", "\""),
            ) {
                form.push((unescape(name), unescape(value)));
            }
        }
        form.push(("decision".into(), "allow".into()));
        let answer = http
            .post(format!("{}{}", self.sandbox.base_url(), action))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), 302, "the consent redirects");
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        let url = url::Url::parse(&location).unwrap();
        let param = |name: &str| {
            url.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        };
        let code = param("code").expect("a code in the redirect");
        let fragment = url.fragment().map(|f| format!("#{f}")).unwrap_or_default();
        (Sensitive::new(format!("{code}{fragment}")), param("state"))
    }

    /// Ledger entries of Meta's API hosts (not the consent pages).
    pub fn api_ledger(&self) -> Vec<insightdesk_sandbox::LedgerEntry> {
        self.sandbox
            .ledger()
            .into_iter()
            .filter(|e| !e.path.starts_with("/www."))
            .collect()
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let to = text[from..].find(end)? + from;
    Some(&text[from..to])
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
