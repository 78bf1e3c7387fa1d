use insightdesk_app::rpc;
use serde_json::json;

use crate::support::test_app;

#[tokio::test]
async fn app_info_reports_version_and_data_dir() {
    let t = test_app();
    let out = rpc::dispatch(&t.app, "app_info", serde_json::Value::Null)
        .await
        .unwrap();
    assert_eq!(out["version"], json!(env!("CARGO_PKG_VERSION")));
    assert_eq!(out["data_dir"], json!(t.dir.path().display().to_string()));
}

#[tokio::test]
async fn unknown_command_is_a_sentence_not_a_panic() {
    let t = test_app();
    let err = rpc::dispatch(&t.app, "drop_tables", json!({}))
        .await
        .unwrap_err();
    let payload = serde_json::to_value(&err).unwrap();
    assert_eq!(payload["code"], json!("failed"));
    assert!(payload["message"].as_str().unwrap().contains("drop_tables"));
}

#[tokio::test]
async fn malformed_arguments_name_the_command() {
    let t = test_app();
    let err = rpc::dispatch(&t.app, "app_info", json!([1, 2]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("app_info"), "{err}");
    let err = rpc::dispatch(&t.app, "sign_in", json!({"provider": "myspace"}))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("provider"), "{err}");
}
