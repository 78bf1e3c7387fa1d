//! A sandbox, a broker in front of it (with a hand-driven clock for state expiry), an HTTP
//! client that does not follow redirects, and Meta's consent form submitted as a browser would.

use std::collections::HashMap;
use std::sync::Arc;

use insightdesk_broker::{BrokerConfig, env, router_with_clock, serve_on};
use insightdesk_graph::{Clock, ManualClock};
use insightdesk_sandbox::{ClockConfig, DemoCredentials, Sandbox, SandboxConfig, parse_instant};

pub struct Harness {
    pub sandbox: Sandbox,
    pub creds: DemoCredentials,
    pub broker: String,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    _stop: tokio::sync::oneshot::Sender<()>,
}

pub async fn start() -> Harness {
    let sandbox = Sandbox::start(SandboxConfig {
        clock: ClockConfig::Fixed(parse_instant("2026-11-26T12:00:00Z").unwrap()),
        ..SandboxConfig::default()
    })
    .await
    .unwrap();
    let creds = sandbox.credentials();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let broker = format!("http://{}", listener.local_addr().unwrap());
    let vars: HashMap<&str, String> = HashMap::from([
        (env::PUBLIC_URL, broker.clone()),
        (
            env::STATE_KEY,
            "state-key-for-the-broker-tests-0123456789".to_owned(),
        ),
        (env::FACEBOOK_APP_ID, creds.facebook_app.app_id.clone()),
        (
            env::FACEBOOK_APP_SECRET,
            creds.facebook_app.app_secret.clone(),
        ),
        (env::INSTAGRAM_APP_ID, creds.instagram_app.app_id.clone()),
        (
            env::INSTAGRAM_APP_SECRET,
            creds.instagram_app.app_secret.clone(),
        ),
        (env::META_BASE, sandbox.base_url()),
    ]);
    let config = BrokerConfig::from_lookup(|name| vars.get(name).cloned()).unwrap();
    let clock = Arc::new(ManualClock::new(
        parse_instant("2030-01-01T00:00:00Z").unwrap(),
    ));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(serve_on(
        listener,
        router_with_clock(config, Arc::clone(&clock) as Arc<dyn Clock>),
        async move {
            let _ = stopped.await;
        },
    ));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Harness {
        sandbox,
        creds,
        broker,
        clock,
        http,
        _stop: stop,
    }
}

pub fn location(response: &reqwest::Response) -> String {
    response.headers()["location"].to_str().unwrap().to_owned()
}

pub fn params(url: &str) -> HashMap<String, String> {
    url::Url::parse(url)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

fn attribute(tag: &str, name: &str) -> Option<String> {
    let needle = format!("{name}=\"");
    let start = tag.find(&needle)? + needle.len();
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&quot;", "\"")
            .replace("&amp;", "&"),
    )
}

/// Submits Meta's consent form at `dialog` (every box ticked) with Allow or Deny; returns
/// where Meta sends the browser.
pub async fn consent(h: &Harness, dialog: &str, allow: bool) -> String {
    let page = h.http.get(dialog).send().await.unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    let form = html.find("<form").unwrap();
    let action = attribute(
        &html[form..form + html[form..].find('>').unwrap()],
        "action",
    )
    .unwrap();
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut rest = &html[form..];
    while let Some(start) = rest.find("<input") {
        let end = rest[start..].find('>').unwrap() + start;
        let tag = &rest[start..=end];
        fields.push((
            attribute(tag, "name").unwrap(),
            attribute(tag, "value").unwrap(),
        ));
        rest = &rest[end..];
    }
    fields.push((
        "decision".into(),
        if allow { "allow" } else { "deny" }.into(),
    ));
    let target = url::Url::parse(dialog).unwrap().join(&action).unwrap();
    let answer = h.http.post(target).form(&fields).send().await.unwrap();
    assert_eq!(answer.status(), 302);
    location(&answer)
}
