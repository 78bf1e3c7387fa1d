//! The response sink: every successful Graph answer reaches it once, as sent and as answered,
//! each batch item on its own; failures, batch envelopes and token exchanges never do.

use std::sync::{Arc, Mutex};

use insightdesk_graph::{BatchRequest, LoginKind, RawAnswer, ResponseSink};
use insightdesk_sandbox::FaultPlan;

use crate::support;

#[derive(Default)]
struct Kept {
    answers: Mutex<Vec<(String, String, Vec<u8>)>>,
}

impl ResponseSink for Kept {
    fn received(&self, answer: &RawAnswer<'_>) {
        self.answers.lock().unwrap().push((
            answer.endpoint.to_owned(),
            answer.api_version.to_owned(),
            answer.body.to_vec(),
        ));
    }
}

impl Kept {
    fn endpoints(&self) -> Vec<String> {
        self.answers
            .lock()
            .unwrap()
            .iter()
            .map(|a| a.0.clone())
            .collect()
    }
}

#[tokio::test]
async fn successful_answers_reach_the_sink_with_their_address_and_version() {
    let meta = support::start().await;
    let kept = Arc::new(Kept::default());
    let client = meta
        .builder(LoginKind::Facebook)
        .response_sink(kept.clone() as Arc<dyn ResponseSink>)
        .build()
        .unwrap();
    let user = meta.creds.ig_user_id.clone();
    let profile = client.user(&user).profile().await.unwrap();
    assert_eq!(profile.id.as_deref(), Some(user.as_str()));
    {
        let answers = kept.answers.lock().unwrap();
        assert_eq!(answers.len(), 1);
        let (endpoint, version, body) = &answers[0];
        assert!(
            endpoint.starts_with(&format!("/v26.0/{user}?fields=id%2Cusername")),
            "{endpoint}"
        );
        assert_eq!(version, "v26.0", "the version Meta says answered");
        let parsed: serde_json::Value = serde_json::from_slice(body).unwrap();
        assert_eq!(parsed["id"], user.as_str());
        for answer in answers.iter() {
            assert!(!answer.0.contains("appsecret_proof") && !answer.0.contains("access_token"));
        }
    }

    // A batch: the envelope is not an answer of its own; each successful item is one.
    let image = meta.sandbox.landmarks().latest_image.unwrap();
    let requests = vec![
        BatchRequest::get(client.batch_url(&format!("{image}/insights"), &[("metric", "reach")])),
        BatchRequest::get(client.batch_url(
            &format!("{image}/insights"),
            &[("metric", "no_such_metric")],
        )),
    ];
    let results = client.batch(requests).await.unwrap();
    assert!(
        results[0]
            .as_ref()
            .unwrap()
            .parse::<serde_json::Value>()
            .is_ok()
    );
    assert!(
        results[1]
            .as_ref()
            .unwrap()
            .parse::<serde_json::Value>()
            .is_err()
    );
    let endpoints = kept.endpoints();
    assert_eq!(endpoints.len(), 2, "{endpoints:?}");
    assert_eq!(
        endpoints[1],
        format!("/v26.0/{image}/insights?metric=reach")
    );

    // A failed request is not offered, and neither is a retried one twice.
    meta.sandbox.set_faults(FaultPlan::parse("5xx@1").unwrap());
    client
        .media(&image)
        .insights()
        .metrics(["reach"])
        .send()
        .await
        .unwrap();
    assert_eq!(kept.endpoints().len(), 3);
    meta.sandbox.set_faults(FaultPlan::none());
    assert!(
        client
            .media("1")
            .insights()
            .metrics(["reach"])
            .send()
            .await
            .is_err()
    );
    assert_eq!(kept.endpoints().len(), 3);

    // Token exchanges carry secrets in their address: never offered.
    let app = meta.app(LoginKind::Facebook);
    client
        .oauth()
        .exchange_facebook_token(&app, &meta.token(LoginKind::Facebook))
        .await
        .unwrap();
    assert_eq!(kept.endpoints().len(), 3);
}
