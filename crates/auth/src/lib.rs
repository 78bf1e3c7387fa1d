//! Sign-in with Meta and what follows it: the loopback receiver, the exchanges for a long-lived
//! token, permission checks, account discovery, refresh, sign-out, and the vault that keeps
//! tokens (OS keyring, or an encrypted file on headless servers).
//!
//! The app layer and the CLI use:
//! - [`SignInFlow`] → [`PendingSignIn`] (open [`PendingSignIn::authorize_url`], await
//!   [`PendingSignIn::finish`]) → [`SignedIn`] (a [`Grant`] and [`DiscoveryNote`]s);
//!   [`adopt_token`] for a pasted token.
//! - [`open_vault`] + [`TokenStore`] to keep grants and own-app secrets.
//! - [`token_health`], [`refresh_if_due`], [`sign_out`], [`sign_out_account`].
//!
//! Nothing here special-cases the sandbox: it is Meta at other base URLs ([`MetaConfig`]) with
//! its demo app's credentials.

mod error;
mod flow;
mod grant;
mod lifecycle;
pub mod loopback;
mod vault;

pub use error::AuthError;
pub use flow::{
    DEFAULT_PORT, DEFAULT_TIMEOUT, DiscoveryNote, Exchanger, MetaConfig, PastedToken,
    PendingSignIn, SignInFlow, SignInUrl, SignedIn, adopt_token, random_token,
};
pub use grant::{
    AccountSummary, Grant, LinkedAccount, MIN_REFRESH_AGE, REFRESH_AFTER, REFRESH_WITHIN,
    TokenHealth, WARN_BEFORE_EXPIRY, comments_scope, grant_name, missing_scopes, refresh_due,
    requested_scopes, required_scopes, token_health,
};
pub use lifecycle::{Revocation, SignOut, refresh, refresh_if_due, sign_out, sign_out_account};
pub use loopback::{LoopbackReceiver, redirect_uri};
pub use vault::{
    FileVault, KeyringVault, MIN_VAULT_KEY_CHARS, OwnApp, Profile, TokenStore, VAULT_KEY_VAR,
    Vault, VaultKind, open_vault,
};

pub use insightdesk_graph::LoginKind;
