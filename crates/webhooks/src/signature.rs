//! Meta's two proofs: the verify token of the subscription handshake, and the
//! `X-Hub-Signature-256` HMAC on every delivery. Both are compared in constant time, so the
//! time an answer takes says nothing about how much of a guess was right.

use hmac::{Hmac, Mac};
use insightdesk_secret::Sensitive;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

type HmacSha256 = Hmac<Sha256>;

/// The header Meta signs every delivery with.
pub const SIGNATURE_HEADER: &str = "x-hub-signature-256";

/// Why a delivery's signature was refused. The texts never quote the header or the body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureError {
    #[error("the delivery has no X-Hub-Signature-256 header")]
    Missing,
    #[error("the X-Hub-Signature-256 header is not `sha256=` and 64 hex digits")]
    Malformed,
    #[error("the X-Hub-Signature-256 header does not match the body and the app secret")]
    Mismatch,
}

/// Checks `header` (`sha256=<hex>`) against the HMAC-SHA256 of the exact raw `body` keyed by
/// the app secret.
pub fn verify_signature(
    app_secret: &Sensitive<String>,
    header: Option<&[u8]>,
    body: &[u8],
) -> Result<(), SignatureError> {
    verify_signature_by_any(std::slice::from_ref(app_secret), header, body)
}

/// Checks `header` against the HMAC of `body` under each of `app_secrets`, and accepts it when
/// one matches: Meta signs a delivery with the secret of the app whose subscription it serves,
/// so a server for a Facebook Login app and an Instagram Login app takes both apps' signatures.
/// Every secret is tried and each comparison takes constant time, so the time an answer takes
/// says neither how much of a guess was right nor which app it matched.
pub fn verify_signature_by_any(
    app_secrets: &[Sensitive<String>],
    header: Option<&[u8]>,
    body: &[u8],
) -> Result<(), SignatureError> {
    let header = header.ok_or(SignatureError::Missing)?;
    let hex_digits = header
        .strip_prefix(b"sha256=")
        .ok_or(SignatureError::Malformed)?;
    if hex_digits.len() != 64 {
        return Err(SignatureError::Malformed);
    }
    let claimed = hex::decode(hex_digits).map_err(|_| SignatureError::Malformed)?;
    let mut matched = subtle::Choice::from(0);
    for app_secret in app_secrets {
        if let Some(mac) = mac(app_secret, body) {
            matched |= mac.finalize().into_bytes().as_slice().ct_eq(&claimed);
        }
    }
    if bool::from(matched) {
        Ok(())
    } else {
        Err(SignatureError::Mismatch)
    }
}

/// The `X-Hub-Signature-256` value Meta sends with `body`: `sha256=` and the lower-case hex
/// HMAC-SHA256 keyed by the app secret. For tests, load generators and replaying a stored
/// delivery by hand.
pub fn signature_header(app_secret: &Sensitive<String>, body: &[u8]) -> String {
    let digest = mac(app_secret, body)
        .map(|mac| hex::encode(mac.finalize().into_bytes()))
        .unwrap_or_default();
    format!("sha256={digest}")
}

/// The HMAC of `body`. HMAC takes keys of every length, so this is never `None`.
fn mac(app_secret: &Sensitive<String>, body: &[u8]) -> Option<HmacSha256> {
    let mut mac = <HmacSha256 as Mac>::new_from_slice(app_secret.expose().as_bytes()).ok()?;
    mac.update(body);
    Some(mac)
}

/// Whether the handshake's `hub.verify_token` is the one the server was started with. Both
/// sides are hashed first, so the comparison takes the same time whatever their lengths.
pub fn verify_token_matches(expected: &Sensitive<String>, given: &str) -> bool {
    let expected = Sha256::digest(expected.expose().as_bytes());
    let given = Sha256::digest(given.as_bytes());
    expected.ct_eq(&given).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret() -> Sensitive<String> {
        Sensitive::new("app-secret".into())
    }

    #[test]
    fn a_signature_made_here_verifies_and_any_change_does_not() {
        let body = br#"{"object":"instagram","entry":[]}"#;
        let header = signature_header(&secret(), body);
        assert!(verify_signature(&secret(), Some(header.as_bytes()), body).is_ok());
        assert_eq!(
            verify_signature(&secret(), Some(header.as_bytes()), b"{}"),
            Err(SignatureError::Mismatch)
        );
        let other = Sensitive::new("other".to_owned());
        assert_eq!(
            verify_signature(&other, Some(header.as_bytes()), body),
            Err(SignatureError::Mismatch)
        );
    }

    #[test]
    fn a_signature_by_any_of_the_apps_verifies_and_none_by_another() {
        let body = br#"{"object":"instagram","entry":[]}"#;
        let facebook_app = Sensitive::new("facebook-app-secret".to_owned());
        let instagram_app = Sensitive::new("instagram-app-secret".to_owned());
        let both = [facebook_app.clone(), instagram_app.clone()];
        for signer in [&facebook_app, &instagram_app] {
            let header = signature_header(signer, body);
            assert_eq!(
                verify_signature_by_any(&both, Some(header.as_bytes()), body),
                Ok(())
            );
        }
        let stranger = signature_header(&secret(), body);
        assert_eq!(
            verify_signature_by_any(&both, Some(stranger.as_bytes()), body),
            Err(SignatureError::Mismatch)
        );
        let header = signature_header(&instagram_app, body);
        assert_eq!(
            verify_signature_by_any(&[], Some(header.as_bytes()), body),
            Err(SignatureError::Mismatch),
            "no secret matches nothing"
        );
    }

    #[test]
    fn rfc_4231_case_2() {
        let header = signature_header(
            &Sensitive::new("Jefe".into()),
            b"what do ya want for nothing?",
        );
        assert_eq!(
            header,
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn shapes_other_than_sha256_hex_are_malformed() {
        for header in [
            "",
            "sha256=",
            "sha1=5bdcc146bf60754e6a042426089575c75a003f08",
            "sha256=zz",
            "SHA256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec384",
        ] {
            assert_eq!(
                verify_signature(&secret(), Some(header.as_bytes()), b"x"),
                Err(SignatureError::Malformed),
                "{header}"
            );
        }
        assert_eq!(
            verify_signature(&secret(), None, b"x"),
            Err(SignatureError::Missing)
        );
    }

    #[test]
    fn verify_tokens_compare_whole() {
        let token = Sensitive::new("tok3n".to_owned());
        assert!(verify_token_matches(&token, "tok3n"));
        assert!(!verify_token_matches(&token, "tok3"));
        assert!(!verify_token_matches(&token, "tok3n "));
        assert!(!verify_token_matches(&token, ""));
    }
}
