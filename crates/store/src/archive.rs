//! The raw response archive's body encoding: zlib (its checksum catches a damaged blob on the
//! way out) and a SHA-256 of the uncompressed body, which identifies a response independently
//! of how it was compressed.

use std::io::{Read, Write};

use flate2::Compression;
use flate2::read::ZlibDecoder;
use flate2::write::ZlibEncoder;
use sha2::{Digest, Sha256};

pub(crate) fn compress(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = ZlibEncoder::new(Vec::with_capacity(body.len() / 4), Compression::default());
    encoder.write_all(body)?;
    encoder.finish()
}

pub(crate) fn decompress(stored: &[u8], expected_len: usize) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::with_capacity(expected_len);
    ZlibDecoder::new(stored).read_to_end(&mut body)?;
    Ok(body)
}

pub(crate) fn sha256_hex(body: &[u8]) -> String {
    hex::encode(Sha256::digest(body))
}

/// True when the endpoint's query string carries a credential (`access_token=…` and the
/// like). The archive keeps addresses for ever, so it must never hold one.
pub(crate) fn carries_credential(endpoint: &str) -> bool {
    let Some((_, query)) = endpoint.split_once('?') else {
        return false;
    };
    query
        .split(['&', '#'])
        .filter_map(|pair| pair.split_once('=').map(|(name, _)| name).or(Some(pair)))
        .any(insightdesk_secret::is_secret_param)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_round_trip_and_shrink() {
        let body = br#"{"data":[{"name":"reach","values":[{"value":1}]}]}"#.repeat(50);
        let stored = compress(&body).unwrap();
        assert!(stored.len() < body.len() / 5, "{} bytes", stored.len());
        assert_eq!(decompress(&stored, body.len()).unwrap(), body);
    }

    #[test]
    fn a_damaged_blob_is_an_error_not_garbage() {
        let mut stored = compress(b"{\"data\":[]}").unwrap();
        let last = stored.len() - 1;
        stored[last] ^= 0xff;
        assert!(decompress(&stored, 11).is_err());
    }

    #[test]
    fn credentials_in_query_strings_are_spotted() {
        assert!(carries_credential("/v24.0/me?fields=id&access_token=EAAB"));
        assert!(carries_credential(
            "/oauth/access_token?client_secret=s&code=c"
        ));
        assert!(!carries_credential(
            "/v24.0/1784/insights?metric=reach&period=day"
        ));
        assert!(!carries_credential("/v24.0/1784/media"));
    }
}
