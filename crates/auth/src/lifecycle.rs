//! A token's life after sign-in: Instagram Login refresh, and sign-out (revoke at Meta, then
//! forget locally).

use chrono::DateTime;
use insightdesk_graph::{ErrorClass, LoginKind};

use crate::error::AuthError;
use crate::flow::MetaConfig;
use crate::grant::{Grant, MIN_REFRESH_AGE, refresh_due};
use crate::vault::TokenStore;

/// Exchanges an Instagram Login token for a fresh 60-day one (`ig_refresh_token`, no secret
/// needed, so the desktop does it itself even on the broker path). Refused locally, without a
/// call, for Facebook Login and for tokens under 24 hours old.
pub async fn refresh(meta: &MetaConfig, grant: &Grant) -> Result<Grant, AuthError> {
    if grant.kind != LoginKind::Instagram {
        return Err(AuthError::NotRefreshable { kind: grant.kind });
    }
    let now = meta.now();
    let age = now - grant.obtained_at;
    if age < MIN_REFRESH_AGE {
        return Err(AuthError::TooYoungToRefresh {
            hours: age.num_hours(),
        });
    }
    let client = meta.client(grant.kind, None)?;
    let answer = client.oauth().refresh_instagram_token(&grant.token).await?;
    let mut fresh = grant.clone();
    fresh.expires_at = answer.expires_at(now).or(grant.expires_at);
    fresh.token = answer.access_token;
    fresh.obtained_at = DateTime::from_timestamp(now.timestamp(), 0).unwrap_or(now);
    log::info!("{}: token refreshed", grant.kind);
    Ok(fresh)
}

/// Refreshes and stores the grant when the policy of [`crate::token_health`] says it is due;
/// `Ok(None)` when nothing was due. For the sync to call before each run.
pub async fn refresh_if_due(
    meta: &MetaConfig,
    store: &TokenStore,
    grant: &Grant,
) -> Result<Option<Grant>, AuthError> {
    if !refresh_due(grant, meta.now()) {
        return Ok(None);
    }
    let fresh = refresh(meta, grant).await?;
    let saved = fresh.clone();
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.save_grant(&saved))
        .await
        .map_err(|_| AuthError::Task("saving the refreshed token"))??;
    Ok(Some(fresh))
}

/// What Meta said when told about a sign-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    /// `DELETE /me/permissions` succeeded: the app no longer has access.
    Revoked,
    /// The token was already dead (expired or revoked), so there was nothing to revoke.
    AlreadyInvalid,
    /// Meta could not be reached or refused; the local sign-out happened anyway. The user can
    /// remove the app in Facebook's or Instagram's settings (Apps and websites).
    NotConfirmed { reason: String },
}

/// The result of a sign-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOut {
    /// The grant was revoked (as far as Meta answered) and deleted from the vault.
    Whole { revocation: Revocation },
    /// The grant reaches other accounts too: only this account was removed from it, nothing
    /// was revoked.
    AccountRemoved { remaining: usize },
}

/// Revokes a grant at Meta (`DELETE /me/permissions`) and deletes it from the vault. The vault
/// entry goes even when Meta cannot be reached: the user asked to be signed out.
pub async fn sign_out(
    meta: &MetaConfig,
    store: &TokenStore,
    grant: &Grant,
) -> Result<Revocation, AuthError> {
    let client = meta.client(grant.kind, None)?;
    let revocation = match client.oauth().revoke(&grant.token).await {
        Ok(true) => Revocation::Revoked,
        Ok(false) => Revocation::NotConfirmed {
            reason: "Meta did not confirm the revocation".into(),
        },
        Err(e) if e.class() == ErrorClass::NeedsReauth => Revocation::AlreadyInvalid,
        Err(e) => Revocation::NotConfirmed {
            reason: e.to_string(),
        },
    };
    let (kind, user_id) = (grant.kind, grant.user_id.clone());
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.delete_grant(kind, &user_id))
        .await
        .map_err(|_| AuthError::Task("deleting the sign-in"))??;
    log::info!("{kind}: signed out ({revocation:?})");
    Ok(revocation)
}

/// Signs one Instagram account out (`insightdesk logout --account ID`): the whole grant when
/// it reaches only this account, otherwise just this account's entry in it.
pub async fn sign_out_account(
    meta: &MetaConfig,
    store: &TokenStore,
    ig_user_id: &str,
) -> Result<SignOut, AuthError> {
    let lookup = store.clone();
    let id = ig_user_id.to_owned();
    let grant = tokio::task::spawn_blocking(move || lookup.grant_for_account(&id))
        .await
        .map_err(|_| AuthError::Task("reading the vault"))??
        .ok_or_else(|| AuthError::UnknownAccount(ig_user_id.to_owned()))?;
    if grant.accounts.len() <= 1 {
        let revocation = sign_out(meta, store, &grant).await?;
        return Ok(SignOut::Whole { revocation });
    }
    let mut rest = grant;
    rest.accounts.retain(|a| a.ig_user_id != ig_user_id);
    let remaining = rest.accounts.len();
    let store = store.clone();
    tokio::task::spawn_blocking(move || store.save_grant(&rest))
        .await
        .map_err(|_| AuthError::Task("saving the sign-in"))??;
    Ok(SignOut::AccountRemoved { remaining })
}
