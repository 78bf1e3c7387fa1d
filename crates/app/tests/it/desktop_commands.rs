//! The commands the desktop window added: a folder from the host's dialog, a post opened on
//! instagram.com, and "Sign out and wipe".

use insightdesk_app::accounts::{OwnAppArgs, Provider};
use insightdesk_app::dashboard::{ContentArgs, RangeChoice};
use insightdesk_app::{ErrorCode, ProfileKind, rpc};
use serde_json::json;

use crate::support::test_app;

#[tokio::test]
async fn choose_folder_answers_what_the_dialog_chose() {
    let t = test_app();
    let closed = rpc::dispatch(&t.app, "choose_folder", json!({}))
        .await
        .unwrap();
    assert_eq!(closed, serde_json::Value::Null);
    *t.host.answer_path.lock().unwrap() = Some(t.dir.path().join("reports"));
    let chosen = rpc::dispatch(&t.app, "choose_folder", json!({"title": "Where?"}))
        .await
        .unwrap();
    assert_eq!(
        chosen,
        json!(t.dir.path().join("reports").display().to_string())
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn scheduled_reports_go_only_to_a_folder_chosen_in_the_dialog() {
    let t = test_app();
    let folder = t.dir.path().join("weekly");
    let elsewhere = t.dir.path().join("elsewhere");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&elsewhere).unwrap();
    let view = rpc::dispatch(&t.app, "settings_get", json!({}))
        .await
        .unwrap();
    let with_folder = |folder: &std::path::Path| {
        let mut settings = view["settings"].clone();
        settings["report_schedule"] = json!({
            "cadence": "weekly",
            "format": "pdf",
            "folder": folder.display().to_string(),
        });
        settings
    };
    // A folder the webview names without the dialog is refused.
    let refused = rpc::dispatch(&t.app, "settings_save", with_folder(&folder))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("Choose folder"), "{refused}");
    // Chosen in the dialog, it is taken, and saving it again later is fine.
    *t.host.answer_path.lock().unwrap() = Some(folder.clone());
    rpc::dispatch(&t.app, "choose_folder", json!({}))
        .await
        .unwrap();
    for _ in 0..2 {
        let saved = rpc::dispatch(&t.app, "settings_save", with_folder(&folder))
            .await
            .unwrap();
        assert_eq!(
            saved["settings"]["report_schedule"]["folder"],
            json!(folder.display().to_string())
        );
    }
    // Another existing folder the dialog never answered stays refused.
    assert!(
        rpc::dispatch(&t.app, "settings_save", with_folder(&elsewhere))
            .await
            .is_err()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn open_post_opens_the_stored_instagram_permalink_and_nothing_else() {
    let t = test_app();
    let state = t.app.explore_demo().await.unwrap();
    t.app
        .sync_account(&state.active_account.unwrap(), "test")
        .await
        .unwrap();
    let page = t
        .app
        .content(ContentArgs {
            account: None,
            range: RangeChoice::Last90,
            kind: None,
            search: None,
            sort: None,
            ascending: false,
            offset: 0,
            limit: Some(1),
        })
        .await
        .unwrap();
    let row = &page.rows[0];
    let opened = rpc::dispatch(&t.app, "open_post", json!({"id": row.id}))
        .await
        .unwrap();
    let link = opened.as_str().unwrap().to_owned();
    assert!(link.starts_with("https://www.instagram.com/"), "{link}");
    assert_eq!(Some(link.clone()), row.permalink);
    assert_eq!(t.host.opened_urls(), vec![link]);

    let unknown = t.app.open_post("no-such-post").await.unwrap_err();
    assert_eq!(unknown.code(), ErrorCode::Failed);
    assert!(unknown.to_string().contains("no link"), "{unknown}");
    assert_eq!(t.host.opened_urls().len(), 1, "nothing else was opened");
}

#[tokio::test(flavor = "multi_thread")]
async fn wiping_the_demo_signs_out_deletes_its_folder_and_opens_the_main_profile() {
    let t = test_app();
    let demo = t.app.explore_demo().await.unwrap();
    assert!(!demo.accounts.is_empty());
    let demo_dir = t.dir.path().join("profiles/demo");
    assert!(demo_dir.join("insightdesk.sqlite").exists());

    let after = rpc::dispatch(&t.app, "wipe_profile", json!({}))
        .await
        .unwrap();
    assert_eq!(after["profile"], json!("main"));
    assert_eq!(after["accounts"], json!([]));
    assert!(!demo_dir.exists(), "the demo's history is gone");
    assert_eq!(t.app.session().await.unwrap().kind, ProfileKind::Main);

    // The demo starts afresh: its creator is signed in again by the real flow.
    let again = t.app.explore_demo().await.unwrap();
    assert_eq!(again.accounts.len(), demo.accounts.len());
}

#[tokio::test]
async fn wiping_the_main_profile_forgets_the_meta_app_and_every_file() {
    let t = test_app();
    let state = t
        .app
        .save_own_app(OwnAppArgs {
            provider: Provider::Instagram,
            app_id: "123456789".into(),
            app_secret: "0123456789abcdef0123456789abcdef".into(),
        })
        .await
        .unwrap();
    assert!(state.providers.iter().any(|p| p.method == "own_app"));
    let main_dir = t.dir.path().join("profiles/main");
    std::fs::write(main_dir.join("thumbnail-cache-marker"), b"x").unwrap();

    let after = t.app.wipe_profile().await.unwrap();
    assert_eq!(after.profile, ProfileKind::Main);
    assert!(after.providers.iter().all(|p| p.method == "needs_setup"));
    assert!(!main_dir.join("thumbnail-cache-marker").exists());
    assert!(
        main_dir.join("insightdesk.sqlite").exists(),
        "a fresh store was opened"
    );
}
