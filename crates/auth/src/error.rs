//! The one error type of the sign-in crate. Every message is a sentence a creator understands
//! and says what to do next; none holds a token, a secret, a code or a `state`.

use std::path::PathBuf;

use insightdesk_graph::{GraphError, LoginKind};

/// Everything sign-in, token upkeep and the vault can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error(
        "Port {port} on this computer is already in use by another program, so Insightdesk cannot receive Meta's answer there. Close the other program, or choose another sign-in port with --login-port N (for the desktop app: INSIGHTDESK_LOGIN_PORT=N) and register http://localhost:N/callback for it in your Meta app."
    )]
    PortBusy { port: u16 },

    #[error("Insightdesk could not listen on 127.0.0.1 port {port} for Meta's answer: {reason}.")]
    Listen { port: u16, reason: String },

    #[error(
        "No answer came back from the browser within {}, so the sign-in was stopped. Start signing in again and finish on Meta's page in time.",
        waited_text(*seconds)
    )]
    TimedOut { seconds: u64 },

    #[error("The sign-in was cancelled before the browser answered.")]
    Cancelled,

    #[error(
        "You declined on Meta's page, so nothing was shared with Insightdesk. To connect your account, sign in again and choose Allow."
    )]
    Declined,

    #[error(
        "Meta did not complete the sign-in: it answered “{error}” ({description}). Try signing in again."
    )]
    Refused { error: String, description: String },

    #[error(
        "Meta did not grant Insightdesk {} it needs: {}. Sign in again and leave every permission ticked on Meta's page.",
        if missing.len() == 1 { "a permission" } else { "permissions" },
        missing.join(", ")
    )]
    MissingPermissions {
        kind: LoginKind,
        missing: Vec<String>,
    },

    #[error("{}", no_accounts_text(notes))]
    NoAccounts { notes: Vec<String> },

    #[error(
        "Instagram Login tokens can be refreshed only once they are a day old; this one is {hours} hour(s) old."
    )]
    TooYoungToRefresh { hours: i64 },

    #[error("{kind} tokens cannot be refreshed; sign in again before this one expires.")]
    NotRefreshable { kind: LoginKind },

    #[error(transparent)]
    Graph(#[from] GraphError),

    #[error("The sign-in service at {url} is not a valid https:// or http:// address.")]
    BrokerUrl { url: String },

    #[error("Insightdesk could not reach the sign-in service ({request}): {reason}.")]
    BrokerUnreachable { request: String, reason: String },

    #[error("The sign-in service refused the request ({request}, HTTP {status}): {message}")]
    Broker {
        request: String,
        status: u16,
        message: String,
    },

    #[error("{} ({reason})", keyring_text(false))]
    KeyringUnavailable { reason: String },

    #[error("{} ({reason})", keyring_text(true))]
    KeyringLocked { reason: String },

    #[error("The keyring refused to {action} “{name}”: {reason}.")]
    Keyring {
        action: &'static str,
        name: String,
        reason: String,
    },

    #[error(
        "INSIGHTDESK_VAULT_KEY is not set. The file vault needs a key of at least {min} characters in that variable, e.g. from `openssl rand -base64 32`; keep it outside the data directory."
    )]
    VaultKeyMissing { min: usize },

    #[error(
        "INSIGHTDESK_VAULT_KEY is too short ({len} characters); use at least {min}, e.g. from `openssl rand -base64 32`."
    )]
    VaultKeyTooShort { len: usize, min: usize },

    #[error(
        "The vault file {path} cannot be opened with this INSIGHTDESK_VAULT_KEY: the key is wrong or the file was changed."
    )]
    VaultKeyWrong { path: PathBuf },

    #[error("The vault file {path} is not an Insightdesk vault: {reason}.")]
    VaultFileDamaged { path: PathBuf, reason: String },

    #[error("Insightdesk could not {action} the vault file {path}: {reason}.")]
    VaultFile {
        action: &'static str,
        path: PathBuf,
        reason: String,
    },

    #[error("The stored sign-in “{name}” is damaged ({reason}); sign in again.")]
    VaultRecord { name: String, reason: String },

    #[error("“{0}” is not a usable profile name; use letters, digits, '-' and '_' (at most 64).")]
    Profile(String),

    #[error("“{0}” is not a vault kind; use keyring or file.")]
    VaultKind(String),

    #[error("“{0}” is not a login kind; use facebook or instagram.")]
    LoginKind(String),

    #[error("There is no stored sign-in for the Instagram account {0}.")]
    UnknownAccount(String),

    #[error("Insightdesk's background task for {0} stopped unexpectedly.")]
    Task(&'static str),
}

fn waited_text(seconds: u64) -> String {
    match seconds {
        1 => "1 second".into(),
        s if s < 60 || s % 60 != 0 => format!("{s} seconds"),
        60 => "1 minute".into(),
        s => format!("{} minutes", s / 60),
    }
}

/// "No keyring" (or "locked") in the words of the OS this was built for: keyring reaches Secret
/// Service on Linux and the BSDs, the Keychain on macOS and Credential Manager on Windows, and
/// the advice must name the store the user can actually start, open or unlock.
fn keyring_text(locked: bool) -> &'static str {
    let os = if cfg!(target_os = "macos") {
        "macos"
    } else if cfg!(target_os = "windows") {
        "windows"
    } else {
        "secret-service"
    };
    match (os, locked) {
        ("macos", false) => {
            "The macOS Keychain did not answer, so Insightdesk has nowhere safe to keep your sign-in. Open Keychain Access and check that your login keychain exists, or run headless with --vault file and INSIGHTDESK_VAULT_KEY."
        }
        ("macos", true) => {
            "Your macOS login keychain is locked, so Insightdesk cannot read or keep your sign-in. Unlock it in Keychain Access (File → Unlock Keychain) and try again."
        }
        ("windows", false) => {
            "Windows Credential Manager did not answer, so Insightdesk has nowhere safe to keep your sign-in. Check that the Credential Manager service is running (services.msc), or run headless with --vault file and INSIGHTDESK_VAULT_KEY."
        }
        ("windows", true) => {
            "Windows Credential Manager refused access, so Insightdesk cannot read or keep your sign-in. Sign in to your Windows session again and try again."
        }
        (_, false) => {
            "No keyring is running, so Insightdesk has nowhere safe to keep your sign-in. Start gnome-keyring or KWallet (a Secret Service provider), or run headless with --vault file and INSIGHTDESK_VAULT_KEY."
        }
        (_, true) => {
            "The keyring is locked, so Insightdesk cannot read or keep your sign-in. Unlock it (log in to your desktop session, or run `gnome-keyring-daemon --unlock`) and try again."
        }
    }
}

fn no_accounts_text(notes: &[String]) -> String {
    let mut text = String::from(
        "Sign-in worked, but Meta shows no Instagram professional account Insightdesk can read.",
    );
    for note in notes {
        text.push(' ');
        text.push_str(note);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_no_keyring_advice_names_this_systems_store() {
        let unavailable = AuthError::KeyringUnavailable {
            reason: "no bus".into(),
        }
        .to_string();
        let locked = AuthError::KeyringLocked {
            reason: "locked".into(),
        }
        .to_string();
        let store = match std::env::consts::OS {
            "macos" => "Keychain",
            "windows" => "Credential Manager",
            _ => "gnome-keyring",
        };
        assert!(unavailable.contains(store), "{unavailable}");
        assert!(locked.contains(store), "{locked}");
        assert!(
            unavailable.contains("--vault file and INSIGHTDESK_VAULT_KEY"),
            "{unavailable}"
        );
        assert!(unavailable.ends_with("(no bus)"), "{unavailable}");
    }
}
