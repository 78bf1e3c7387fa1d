//! `webhooks serve` over the apps saved in the vault: Meta signs each delivery with the secret
//! of the app that subscribed, so a delivery signed by any saved app is stored and one signed
//! by another secret is refused.

use std::path::Path;
use std::process::{Output, Stdio};

use insightdesk_secret::Sensitive;

use crate::accounts::{VAULT_KEY, insightdesk, sandbox, text};

/// Saves a Meta app and connects its account with a pasted token, both read from stdin.
fn connect(data: &Path, base: &str, provider: &str, app: &serde_json::Value, token: &str) {
    let login = insightdesk(
        data,
        &[
            "--meta-base",
            base,
            "login",
            "--provider",
            provider,
            "--app-id",
            app["app_id"].as_str().unwrap(),
            "--app-secret",
            "-",
            "--token",
            "-",
        ],
        Some(&format!(
            "{}\n{token}\n",
            app["app_secret"].as_str().unwrap()
        )),
    );
    assert!(login.status.success(), "{}", text(&login.stderr));
}

/// A comment on `account`'s post, as Meta delivers it.
fn comment_delivery(account: &str, comment_id: &str) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({
        "object": "instagram",
        "entry": [{ "id": account, "time": 1_764_158_400, "changes": [
            { "field": "comments", "value": {
                "id": comment_id, "text": "Lovely crumb!",
                "from": { "id": "17841400000000001", "username": "a.baker" },
                "media": { "id": "17900000000000001", "media_product_type": "FEED" } } } ] }]
    }))
    .unwrap()
}

/// Runs `webhooks serve` over `data` (a file vault under `vault_key`, a trace log), POSTs each
/// body with its `X-Hub-Signature-256` value, stops the server with SIGTERM; the answers'
/// statuses and the command's output.
pub async fn serve(
    data: &Path,
    base: &str,
    vault_key: &str,
    deliveries: &[(Vec<u8>, String)],
) -> (Vec<u16>, Output) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = tokio::process::Command::new(env!("CARGO_BIN_EXE_insightdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["--vault", "file", "--meta-base", base, "webhooks", "serve"])
        .args(["--port", &port.to_string()])
        .env("INSIGHTDESK_VAULT_KEY", vault_key)
        .env("INSIGHTDESK_VERIFY_TOKEN", "webhooks-verify-token")
        .env("INSIGHTDESK_LOG", "trace")
        .env_remove("INSIGHTDESK_APP_SECRET")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}/");
    let http = reqwest::Client::new();
    let mut statuses = Vec::new();
    for (body, signature) in deliveries {
        // The first request waits for the server to listen.
        let mut answer = None;
        for _ in 0..100 {
            let sent = http
                .post(&url)
                .header("Content-Type", "application/json")
                .header("X-Hub-Signature-256", signature)
                .body(body.clone())
                .send()
                .await;
            if let Ok(sent) = sent {
                answer = Some(sent.status().as_u16());
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        statuses.push(answer.expect("the server answered"));
    }
    let pid = child.id().unwrap().to_string();
    let stopped = tokio::process::Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .await
        .unwrap();
    assert!(stopped.success());
    (statuses, child.wait_with_output().await.unwrap())
}

/// A comment delivery for `account` signed with `secret`.
fn signed_comment(account: &str, comment_id: &str, secret: &str) -> (Vec<u8>, String) {
    let body = comment_delivery(account, comment_id);
    let signature =
        insightdesk_webhooks::signature_header(&Sensitive::new(secret.to_owned()), &body);
    (body, signature)
}

fn stored_comments(data: &Path, account: &str) -> Vec<String> {
    let store =
        insightdesk_store::Store::open(data.join("profiles/main/insightdesk.sqlite")).unwrap();
    let account = store.account_by_ig_id(account).unwrap().unwrap();
    let mut ids: Vec<String> = store
        .comments(account.id, None)
        .unwrap()
        .into_iter()
        .map(|c| c.ig_comment_id)
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn deliveries_signed_by_any_saved_app_are_stored_and_others_refused() {
    let (_sandbox, base, credentials) = sandbox("13");
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path();
    let account = credentials["ig_user_id"].as_str().unwrap();
    let instagram_app = &credentials["instagram_app"];
    let facebook_app = &credentials["facebook_app"];
    let instagram_secret = instagram_app["app_secret"].as_str().unwrap();
    let facebook_secret = facebook_app["app_secret"].as_str().unwrap();
    let stranger = "a-secret-of-no-app-saved-here";

    let phases = [
        // Instagram Login only: no Facebook Login app is needed to serve.
        (
            "instagram",
            instagram_app,
            &credentials["instagram_token"],
            vec![("1001", instagram_secret), ("1002", stranger)],
            vec![200, 403],
            vec!["1001"],
        ),
        // Both apps saved: each app's deliveries are taken, a stranger's still refused.
        (
            "facebook",
            facebook_app,
            &credentials["user_token"],
            vec![
                ("1003", instagram_secret),
                ("1004", facebook_secret),
                ("1005", stranger),
            ],
            vec![200, 200, 403],
            vec!["1001", "1003", "1004"],
        ),
    ];
    for (provider, app, token, deliveries, answers, stored) in phases {
        connect(
            data,
            &base,
            provider,
            app,
            token["access_token"].as_str().unwrap(),
        );
        let signed: Vec<_> = deliveries
            .iter()
            .map(|(comment_id, secret)| signed_comment(account, comment_id, secret))
            .collect();
        let (statuses, output) = serve(data, &base, VAULT_KEY, &signed).await;
        assert_eq!(statuses, answers, "{provider}: {}", text(&output.stderr));
        assert_eq!(stored_comments(data, account), stored, "{provider}");
    }
}
