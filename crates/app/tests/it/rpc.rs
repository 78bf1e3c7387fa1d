use insightdesk_app::{App, DataDir, rpc};
use serde_json::json;

fn app(dir: &std::path::Path) -> App {
    App::new(DataDir::resolve(Some(dir.to_path_buf()), None, None).expect("dir"))
}

#[tokio::test]
async fn app_info_reports_version_and_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let out = rpc::dispatch(&app(dir.path()), "app_info", serde_json::Value::Null)
        .await
        .unwrap();
    assert_eq!(out["version"], json!(env!("CARGO_PKG_VERSION")));
    assert_eq!(out["data_dir"], json!(dir.path().display().to_string()));
}

#[tokio::test]
async fn unknown_command_is_a_sentence_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let err = rpc::dispatch(&app(dir.path()), "drop_tables", json!({}))
        .await
        .unwrap_err();
    let payload = serde_json::to_value(&err).unwrap();
    assert_eq!(payload["code"], json!("failed"));
    assert!(payload["message"].as_str().unwrap().contains("drop_tables"));
}

#[tokio::test]
async fn malformed_arguments_name_the_command() {
    let dir = tempfile::tempdir().unwrap();
    let err = rpc::dispatch(&app(dir.path()), "app_info", json!([1, 2]))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("app_info"), "{err}");
}
