//! The vaults: the OS keyring against a real Secret Service (gnome-keyring in a D-Bus session,
//! as scripts/test.sh runs it), the clear error when no keyring runs, and the encrypted file.
//!
//! Without a session bus the keyring tests skip with a message, unless `KEYRING_REQUIRED=1`.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use insightdesk_auth::{
    AuthError, FileVault, Grant, KeyringVault, LinkedAccount, LoginKind, OwnApp, Profile,
    TokenStore, Vault,
};
use insightdesk_secret::Sensitive;
use rand::RngCore;

fn required() -> bool {
    std::env::var("KEYRING_REQUIRED").is_ok_and(|v| v == "1")
}

/// A keyring vault on a fresh profile, or `None` (with a message) when no keyring can be
/// reached and none is required.
fn keyring_or_skip(test: &str) -> Option<(KeyringVault, Profile)> {
    if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
        assert!(
            !required(),
            "KEYRING_REQUIRED=1 but there is no D-Bus session bus"
        );
        eprintln!(
            "skipping {test}: no D-Bus session bus (run inside dbus-run-session with gnome-keyring, or set KEYRING_REQUIRED=1 to fail instead)"
        );
        return None;
    }
    let mut suffix = [0u8; 6];
    rand::rng().fill_bytes(&mut suffix);
    let suffix: String = suffix.iter().map(|b| format!("{b:02x}")).collect();
    let profile = Profile::new(&format!("test-{suffix}")).unwrap();
    let vault = KeyringVault::new(&profile);
    match vault.check() {
        Ok(()) => Some((vault, profile)),
        Err(e) if !required() => {
            eprintln!("skipping {test}: the keyring is not usable here: {e}");
            None
        }
        Err(e) => panic!("KEYRING_REQUIRED=1 but the keyring is not usable: {e}"),
    }
}

fn grant(user: &str, token: &str) -> Grant {
    Grant {
        kind: LoginKind::Facebook,
        user_id: user.to_owned(),
        token: Sensitive::new(token.to_owned()),
        obtained_at: Utc.with_ymd_and_hms(2026, 11, 26, 12, 0, 0).unwrap(),
        expires_at: Some(Utc.with_ymd_and_hms(2027, 1, 25, 12, 0, 0).unwrap()),
        data_access_expires_at: None,
        scopes: vec!["instagram_basic".into(), "instagram_manage_insights".into()],
        accounts: vec![LinkedAccount {
            ig_user_id: "17841400000000001".into(),
            username: Some("maya.bakes".into()),
            page_id: Some("104000000000001".into()),
            page_name: Some("Maya Bakes Bread".into()),
            page_token: Some(Sensitive::new(format!("{token}-page"))),
        }],
    }
}

/// What every vault must do.
fn exercise(vault: Arc<dyn Vault>) {
    assert!(vault.list().unwrap().is_empty());
    assert_eq!(vault.get("entry.one").unwrap(), None);
    vault
        .put("entry.one", &Sensitive::new("one".into()))
        .unwrap();
    vault
        .put("entry.two", &Sensitive::new("two".into()))
        .unwrap();
    vault
        .put("entry.one", &Sensitive::new("uno".into()))
        .unwrap();
    assert_eq!(vault.list().unwrap(), ["entry.one", "entry.two"]);
    assert_eq!(vault.get("entry.one").unwrap().unwrap().expose(), "uno");
    assert!(vault.delete("entry.one").unwrap());
    assert!(!vault.delete("entry.one").unwrap());
    assert_eq!(vault.list().unwrap(), ["entry.two"]);

    let store = TokenStore::new(Arc::clone(&vault));
    let g = grant("1019", "EAAGtesttoken");
    store.save_grant(&g).unwrap();
    let app = OwnApp {
        app_id: "123".into(),
        app_secret: Sensitive::new("app-secret".into()),
    };
    store.save_app(LoginKind::Facebook, &app).unwrap();
    assert_eq!(store.grants().unwrap(), vec![g.clone()]);
    assert_eq!(
        store.grant_for_account("17841400000000001").unwrap(),
        Some(g.clone())
    );
    assert_eq!(store.app(LoginKind::Facebook).unwrap(), Some(app));
    assert_eq!(store.app(LoginKind::Instagram).unwrap(), None);
    assert!(store.delete_grant(LoginKind::Facebook, "1019").unwrap());
    assert!(store.delete_app(LoginKind::Facebook).unwrap());
    assert!(vault.delete("entry.two").unwrap());
    assert!(vault.list().unwrap().is_empty());
}

#[test]
fn keyring_vault_against_the_secret_service() {
    let Some((vault, _)) = keyring_or_skip("keyring_vault_against_the_secret_service") else {
        return;
    };
    exercise(Arc::new(vault));
}

#[test]
fn keyring_profiles_do_not_see_each_other() {
    let Some((demo, _)) = keyring_or_skip("keyring_profiles_do_not_see_each_other") else {
        return;
    };
    let Some((real, _)) = keyring_or_skip("keyring_profiles_do_not_see_each_other") else {
        return;
    };
    demo.put("grant.instagram.7", &Sensitive::new("demo token".into()))
        .unwrap();
    assert_eq!(real.get("grant.instagram.7").unwrap(), None);
    assert!(real.list().unwrap().is_empty());
    assert!(!real.delete("grant.instagram.7").unwrap());
    assert_eq!(
        demo.get("grant.instagram.7").unwrap().unwrap().expose(),
        "demo token"
    );
    assert!(demo.delete("grant.instagram.7").unwrap());
    assert_ne!(demo.service(), real.service());
}

/// Set in the child process of [`no_keyring_is_a_clear_error_quickly`].
const PROBE_VAR: &str = "INSIGHTDESK_TEST_KEYRING_PROBE";

/// Runs only as that child: checks the keyring with a session bus address that leads
/// nowhere, and prints the error and how long it took.
#[test]
fn keyring_probe_child() {
    if std::env::var_os(PROBE_VAR).is_none() {
        return;
    }
    let vault = KeyringVault::new(&Profile::new("probe").unwrap());
    let started = std::time::Instant::now();
    let result = vault.check();
    let elapsed = started.elapsed();
    match result {
        Err(e) => println!("PROBE-ERROR {} PROBE-MS {}", e, elapsed.as_millis()),
        Ok(()) => println!("PROBE-OK"),
    }
}

#[test]
fn no_keyring_is_a_clear_error_quickly() {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "vault::keyring_probe_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(PROBE_VAR, "1")
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/insightdesk-test-bus",
        )
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let line = stdout
        .lines()
        .find(|l| l.contains("PROBE-"))
        .unwrap_or_else(|| panic!("the child printed no probe line: {stdout}"));
    assert!(line.contains("PROBE-ERROR"), "{line}");
    assert!(line.contains("No keyring is running"), "{line}");
    assert!(
        line.contains("--vault file and INSIGHTDESK_VAULT_KEY"),
        "{line}"
    );
    let ms: u128 = line.rsplit(' ').next().unwrap().parse().unwrap();
    // Not a benchmark: a guard against a hang (the real figure is well under a millisecond).
    assert!(ms < 5_000, "the check waited {ms} ms");
}

fn key(text: &str) -> Sensitive<String> {
    Sensitive::new(text.to_owned())
}

const KEY: &str = "0123456789abcdef0123456789abcdef-file-vault";

#[test]
fn file_vault_does_what_every_vault_does() {
    let dir = tempfile::tempdir().unwrap();
    exercise(Arc::new(
        FileVault::open(&dir.path().join("p.vault"), &key(KEY)).unwrap(),
    ));
}

#[test]
fn file_vault_is_encrypted_private_and_refuses_a_wrong_key_or_tampering() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested").join("demo.vault");
    let vault = FileVault::open(&path, &key(KEY)).unwrap();
    let store = TokenStore::new(Arc::new(vault));
    store.save_grant(&grant("1019", "CANARYfileToken")).unwrap();
    let raw = std::fs::read_to_string(&path).unwrap();
    assert!(
        !raw.contains("CANARY") && !raw.contains("maya") && !raw.contains("1019"),
        "{raw}"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "no temporary files left: {leftovers:?}");

    let wrong = FileVault::open(&path, &key("another key, also long enough to pass")).unwrap_err();
    assert!(
        matches!(wrong, AuthError::VaultKeyWrong { .. }),
        "{wrong:?}"
    );
    assert!(
        wrong.to_string().contains("INSIGHTDESK_VAULT_KEY"),
        "{wrong}"
    );
    let short = FileVault::open(&dir.path().join("x.vault"), &key("short")).unwrap_err();
    assert!(
        matches!(short, AuthError::VaultKeyTooShort { len: 5, .. }),
        "{short:?}"
    );

    let mut body: serde_json::Value = serde_json::from_str(&raw).unwrap();
    let ciphertext = body["ciphertext"].as_str().unwrap().to_owned();
    let flipped = if ciphertext.starts_with('A') {
        "B"
    } else {
        "A"
    };
    body["ciphertext"] = format!("{flipped}{}", &ciphertext[1..]).into();
    std::fs::write(&path, body.to_string()).unwrap();
    assert!(matches!(
        FileVault::open(&path, &key(KEY)).unwrap_err(),
        AuthError::VaultKeyWrong { .. }
    ));
    std::fs::write(&path, "not a vault").unwrap();
    assert!(matches!(
        FileVault::open(&path, &key(KEY)).unwrap_err(),
        AuthError::VaultFileDamaged { .. }
    ));
}

#[test]
fn every_write_uses_a_fresh_nonce() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("n.vault");
    let vault = FileVault::open(&path, &key(KEY)).unwrap();
    let mut nonces = std::collections::HashSet::new();
    for i in 0..5 {
        vault
            .put("x", &Sensitive::new(format!("same-{}", i % 2)))
            .unwrap();
        let body: serde_json::Value =
            serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        nonces.insert(body["nonce"].as_str().unwrap().to_owned());
    }
    assert_eq!(nonces.len(), 5);
}
