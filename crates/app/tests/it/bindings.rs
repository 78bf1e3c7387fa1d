//! The UI's TypeScript types are generated from the Rust command table; this test fails
//! when the committed file is stale. Regenerate with
//! `UPDATE_BINDINGS=1 cargo test -p insightdesk-app`.

use std::path::PathBuf;

fn bindings_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../ui/src/lib/bindings.ts")
}

#[test]
fn typescript_bindings_are_fresh() {
    let expected = insightdesk_app::rpc::typescript_bindings();
    let path = bindings_path();
    if std::env::var_os("UPDATE_BINDINGS").is_some() {
        std::fs::write(&path, &expected).expect("write bindings");
        return;
    }
    let actual = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == expected,
        "{} is stale: run `UPDATE_BINDINGS=1 cargo test -p insightdesk-app` and commit it",
        path.display()
    );
}

#[test]
fn every_command_appears_in_the_bindings() {
    let ts = insightdesk_app::rpc::typescript_bindings();
    for name in insightdesk_app::rpc::COMMAND_NAMES {
        assert!(
            ts.contains(&format!("  {name}: {{ args: ")),
            "{name} missing"
        );
    }
}
