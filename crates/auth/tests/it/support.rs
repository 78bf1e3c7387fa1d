//! A sandbox at a fixed instant, an in-process broker in front of it, and a browser that
//! follows redirects and fills in Meta's consent form.

use std::sync::Arc;

use insightdesk_auth::{
    AuthError, Exchanger, LoginKind, MetaConfig, PendingSignIn, SignInFlow, SignedIn,
};
use insightdesk_graph::{Clock, Endpoints, ManualClock};
use insightdesk_sandbox::{ClockConfig, DemoCredentials, Sandbox, SandboxConfig, parse_instant};
use insightdesk_secret::Sensitive;

pub const NOW: &str = "2026-11-26T12:00:00Z";

pub struct Meta {
    pub sandbox: Sandbox,
    pub creds: DemoCredentials,
    pub clock: Arc<ManualClock>,
    pub meta: MetaConfig,
}

impl Meta {
    /// Moves the sandbox and the client's clock together.
    pub fn advance(&self, by: chrono::Duration) {
        self.sandbox.advance(by);
        self.clock.set(self.sandbox.now());
    }

    /// The sandbox's demo app of a login kind, as the own-app path would hold it.
    pub fn demo_app(&self, kind: LoginKind) -> (String, Sensitive<String>) {
        let app = match kind {
            LoginKind::Facebook => &self.creds.facebook_app,
            LoginKind::Instagram => &self.creds.instagram_app,
        };
        (app.app_id.clone(), Sensitive::new(app.app_secret.clone()))
    }

    pub fn sandbox_exchanger(&self, kind: LoginKind) -> Exchanger {
        let (id, secret) = self.demo_app(kind);
        Exchanger::direct(id, secret)
    }

    pub fn flow(&self, kind: LoginKind, exchanger: Exchanger) -> SignInFlow {
        // A short timeout: a test whose browser failed should not wait five minutes.
        SignInFlow::new(kind, exchanger)
            .meta(self.meta.clone())
            .port(0)
            .timeout(std::time::Duration::from_secs(30))
    }
}

pub async fn meta() -> Meta {
    let now = parse_instant(NOW).unwrap();
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockConfig::Fixed(now),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let creds = sandbox.credentials();
    let clock = Arc::new(ManualClock::new(now));
    let meta = MetaConfig::new(Endpoints::sandbox(&sandbox.base_url()))
        .with_clock(Arc::clone(&clock) as Arc<dyn Clock>);
    Meta {
        sandbox,
        creds,
        clock,
        meta,
    }
}

/// A broker served in-process, in front of the sandbox, holding the demo apps' secrets.
pub struct Broker {
    pub url: String,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for Broker {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

pub async fn broker(meta: &Meta) -> Broker {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let vars = [
        (insightdesk_broker::env::PUBLIC_URL, url.clone()),
        (
            insightdesk_broker::env::STATE_KEY,
            "a-state-key-for-tests-only-0123456789abcdef".to_owned(),
        ),
        (
            insightdesk_broker::env::FACEBOOK_APP_ID,
            meta.creds.facebook_app.app_id.clone(),
        ),
        (
            insightdesk_broker::env::FACEBOOK_APP_SECRET,
            meta.creds.facebook_app.app_secret.clone(),
        ),
        (
            insightdesk_broker::env::INSTAGRAM_APP_ID,
            meta.creds.instagram_app.app_id.clone(),
        ),
        (
            insightdesk_broker::env::INSTAGRAM_APP_SECRET,
            meta.creds.instagram_app.app_secret.clone(),
        ),
        (insightdesk_broker::env::META_BASE, meta.sandbox.base_url()),
    ];
    let config = insightdesk_broker::BrokerConfig::from_lookup(|name| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    })
    .unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(insightdesk_broker::serve_on(
        listener,
        insightdesk_broker::router(config),
        async move {
            let _ = stopped.await;
        },
    ));
    Broker {
        url,
        stop: Some(stop),
    }
}

/// What the user does on Meta's consent page.
#[derive(Debug, Clone, Default)]
pub struct Consent {
    pub deny: bool,
    /// Checkbox values (scopes, Page ids) to untick.
    pub untick: Vec<String>,
}

impl Consent {
    pub fn allow() -> Self {
        Self::default()
    }

    pub fn deny() -> Self {
        Self {
            deny: true,
            untick: Vec::new(),
        }
    }

    pub fn untick(scope: &str) -> Self {
        Self {
            deny: false,
            untick: vec![scope.to_owned()],
        }
    }
}

/// The last page the browser showed, and every URL it visited.
#[derive(Debug)]
pub struct Visit {
    pub status: u16,
    pub body: String,
    pub urls: Vec<String>,
}

pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn follow(
    http: &reqwest::Client,
    mut response: reqwest::Response,
    urls: &mut Vec<String>,
) -> (u16, String, url::Url) {
    loop {
        let here = response.url().clone();
        if response.status().is_redirection() {
            let location = response.headers()["location"].to_str().unwrap().to_owned();
            let next = here.join(&location).unwrap();
            urls.push(next.to_string());
            response = http.get(next).send().await.unwrap();
            continue;
        }
        let status = response.status().as_u16();
        return (status, response.text().await.unwrap(), here);
    }
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&amp;", "&"),
    )
}

/// The consent form: its action and the fields a browser would submit (checked boxes only).
fn form_fields(html: &str, consent: &Consent) -> (String, Vec<(String, String)>) {
    let form_start = html.find("<form").expect("a consent form");
    let form_tag_end = html[form_start..].find('>').unwrap() + form_start;
    let action = attribute(&html[form_start..=form_tag_end], "action").unwrap();
    let mut fields = Vec::new();
    let mut rest = &html[form_tag_end..];
    while let Some(start) = rest.find("<input") {
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start..=end];
        let name = attribute(tag, "name").unwrap_or_default();
        let value = attribute(tag, "value").unwrap_or_default();
        let checkbox = attribute(tag, "type").as_deref() == Some("checkbox");
        if !checkbox || (tag.contains(" checked") && !consent.untick.contains(&value)) {
            fields.push((name, value));
        }
        rest = &rest[end..];
    }
    let decision = if consent.deny { "deny" } else { "allow" };
    fields.push(("decision".into(), decision.into()));
    (action, fields)
}

/// Opens `url` like a browser: follows redirects to Meta's consent page, submits the form as
/// `consent` says, and follows the answer's redirects to the end (the loopback receiver).
pub async fn browse(url: &str, consent: &Consent) -> Visit {
    let http = http();
    let mut urls = vec![url.to_owned()];
    let first = http.get(url).send().await.unwrap();
    let (status, html, page_url) = follow(&http, first, &mut urls).await;
    assert_eq!(status, 200, "the consent page: {html}");
    let (action, fields) = form_fields(&html, consent);
    let target = page_url.join(&action).unwrap();
    urls.push(target.to_string());
    let answer = http.post(target).form(&fields).send().await.unwrap();
    let (status, body, _) = follow(&http, answer, &mut urls).await;
    Visit { status, body, urls }
}

/// Starts a sign-in, lets the browser do `consent`, and finishes.
pub async fn sign_in(flow: SignInFlow, consent: Consent) -> (Result<SignedIn, AuthError>, Visit) {
    let pending: PendingSignIn = flow.start().await.unwrap();
    let url = pending.authorize_url().expose().to_owned();
    let browser = tokio::spawn(async move { browse(&url, &consent).await });
    let result = pending.finish().await;
    (result, browser.await.unwrap())
}
