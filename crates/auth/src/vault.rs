//! Where tokens and app secrets are kept: the OS keyring (Secret Service on Linux, the Keychain
//! on macOS, Credential Manager on Windows, through the `keyring` crate), or an encrypted file
//! for headless servers. Never plaintext.
//!
//! Entries are namespaced by profile: the keyring service is `insightdesk.{profile}`, so the
//! demo profile never touches real tokens, and a file vault is one file per profile.
//!
//! Every operation blocks (a keyring call takes 80–400 ms over D-Bus); async callers run them
//! with `tokio::task::spawn_blocking`.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use insightdesk_graph::LoginKind;
use insightdesk_secret::Sensitive;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use crate::error::AuthError;
use crate::grant::{Grant, grant_name};

/// A store of named secrets.
pub trait Vault: Send + Sync + fmt::Debug {
    fn put(&self, name: &str, secret: &Sensitive<String>) -> Result<(), AuthError>;
    fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, AuthError>;
    /// `true` when there was an entry to delete.
    fn delete(&self, name: &str) -> Result<bool, AuthError>;
    /// Every entry name, sorted.
    fn list(&self) -> Result<Vec<String>, AuthError>;
}

/// A profile name: the namespace of every vault entry.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Profile(String);

impl Profile {
    pub fn new(name: &str) -> Result<Profile, AuthError> {
        let ok = !name.is_empty()
            && name.len() <= 64
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if ok {
            Ok(Profile(name.to_owned()))
        } else {
            Err(AuthError::Profile(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The keyring service of this profile: `insightdesk.{profile}`.
    pub fn keyring_service(&self) -> String {
        format!("insightdesk.{}", self.0)
    }
}

/// Which vault to use (`--vault keyring|file`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VaultKind {
    #[default]
    Keyring,
    File,
}

impl FromStr for VaultKind {
    type Err = AuthError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "keyring" => Ok(VaultKind::Keyring),
            "file" => Ok(VaultKind::File),
            _ => Err(AuthError::VaultKind(s.to_owned())),
        }
    }
}

/// The environment variable that holds the file vault's key.
pub const VAULT_KEY_VAR: &str = "INSIGHTDESK_VAULT_KEY";

/// Opens the vault a command line or the desktop asked for. The file vault lives at
/// `{data_dir}/{profile}.vault` and takes its key from `INSIGHTDESK_VAULT_KEY`; the keyring
/// vault is checked once, so a missing keyring is reported here, not at the first token.
pub fn open_vault(
    kind: VaultKind,
    profile: &Profile,
    data_dir: &Path,
) -> Result<Arc<dyn Vault>, AuthError> {
    match kind {
        VaultKind::Keyring => {
            let vault = KeyringVault::new(profile);
            vault.check()?;
            Ok(Arc::new(vault))
        }
        VaultKind::File => {
            let key = std::env::var(VAULT_KEY_VAR)
                .ok()
                .filter(|k| !k.is_empty())
                .map(Sensitive::new)
                .ok_or(AuthError::VaultKeyMissing {
                    min: MIN_VAULT_KEY_CHARS,
                })?;
            let path = data_dir.join(format!("{}.vault", profile.as_str()));
            Ok(Arc::new(FileVault::open(&path, &key)?))
        }
    }
}

// ---- the OS keyring -----------------------------------------------------------------------

/// The entry that lists the others: the keyring API has no way to enumerate a service.
const INDEX_ENTRY: &str = "index";

/// The OS keyring, one service per profile.
#[derive(Debug)]
pub struct KeyringVault {
    service: String,
    /// Serialises this process's read-modify-write of the index entry.
    index_lock: Mutex<()>,
}

fn keyring_error(action: &'static str, name: &str, error: keyring::Error) -> AuthError {
    match error {
        keyring::Error::PlatformFailure(e) => AuthError::KeyringUnavailable {
            reason: insightdesk_secret::redact_pairs(&e.to_string()),
        },
        keyring::Error::NoStorageAccess(e) => AuthError::KeyringLocked {
            reason: insightdesk_secret::redact_pairs(&e.to_string()),
        },
        // The bytes of a badly encoded entry are the secret itself: never format them.
        keyring::Error::BadEncoding(_) => AuthError::Keyring {
            action,
            name: name.to_owned(),
            reason: "the stored value is not text".into(),
        },
        other => AuthError::Keyring {
            action,
            name: name.to_owned(),
            reason: other.to_string(),
        },
    }
}

impl KeyringVault {
    /// A handle on the profile's service; no D-Bus traffic until the first operation.
    pub fn new(profile: &Profile) -> Self {
        Self {
            service: profile.keyring_service(),
            index_lock: Mutex::new(()),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Talks to the keyring once: `Ok` when it answers, the clear "no keyring" or "locked"
    /// error otherwise (without a session bus this fails in well under a millisecond).
    pub fn check(&self) -> Result<(), AuthError> {
        self.read(INDEX_ENTRY).map(|_| ())
    }

    fn entry(&self, name: &str) -> Result<keyring::Entry, AuthError> {
        keyring::Entry::new(&self.service, name).map_err(|e| keyring_error("open", name, e))
    }

    fn read(&self, name: &str) -> Result<Option<Sensitive<String>>, AuthError> {
        match self.entry(name)?.get_password() {
            Ok(secret) => Ok(Some(Sensitive::new(secret))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error("read", name, e)),
        }
    }

    fn index(&self) -> Result<Vec<String>, AuthError> {
        match self.read(INDEX_ENTRY)? {
            None => Ok(Vec::new()),
            Some(text) => serde_json::from_str(text.expose()).map_err(|_| AuthError::VaultRecord {
                name: format!("{}/{INDEX_ENTRY}", self.service),
                reason: "not a list of names".into(),
            }),
        }
    }

    fn write_index(&self, names: &[String]) -> Result<(), AuthError> {
        let text = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
        self.entry(INDEX_ENTRY)?
            .set_password(&text)
            .map_err(|e| keyring_error("write", INDEX_ENTRY, e))
    }
}

fn check_name(name: &str) -> Result<(), AuthError> {
    if name == INDEX_ENTRY || name.is_empty() {
        return Err(AuthError::VaultRecord {
            name: name.to_owned(),
            reason: "this name is reserved".into(),
        });
    }
    Ok(())
}

impl Vault for KeyringVault {
    fn put(&self, name: &str, secret: &Sensitive<String>) -> Result<(), AuthError> {
        check_name(name)?;
        let _guard = self
            .index_lock
            .lock()
            .map_err(|_| AuthError::Task("the keyring index"))?;
        self.entry(name)?
            .set_password(secret.expose())
            .map_err(|e| keyring_error("write", name, e))?;
        let mut names = self.index()?;
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
            names.sort();
            self.write_index(&names)?;
        }
        Ok(())
    }

    fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, AuthError> {
        check_name(name)?;
        self.read(name)
    }

    fn delete(&self, name: &str) -> Result<bool, AuthError> {
        check_name(name)?;
        let _guard = self
            .index_lock
            .lock()
            .map_err(|_| AuthError::Task("the keyring index"))?;
        let existed = match self.entry(name)?.delete_credential() {
            Ok(()) => true,
            Err(keyring::Error::NoEntry) => false,
            Err(e) => return Err(keyring_error("delete", name, e)),
        };
        let mut names = self.index()?;
        if names.iter().any(|n| n == name) {
            names.retain(|n| n != name);
            if names.is_empty() {
                match self.entry(INDEX_ENTRY)?.delete_credential() {
                    Ok(()) | Err(keyring::Error::NoEntry) => {}
                    Err(e) => return Err(keyring_error("delete", INDEX_ENTRY, e)),
                }
            } else {
                self.write_index(&names)?;
            }
        }
        Ok(existed)
    }

    fn list(&self) -> Result<Vec<String>, AuthError> {
        self.index()
    }
}

// ---- the encrypted file -------------------------------------------------------------------

/// The shortest `INSIGHTDESK_VAULT_KEY` accepted. The key is meant to be random (e.g.
/// `openssl rand -base64 32`), which is why HKDF, not a password hash, derives the file key.
pub const MIN_VAULT_KEY_CHARS: usize = 32;

const FILE_FORMAT: &str = "insightdesk-vault";
const FILE_VERSION: u32 = 1;
const HKDF_INFO: &[u8] = b"insightdesk file vault v1: XChaCha20-Poly1305 key";

/// The file on disk: a header in the clear (bound to the ciphertext as associated data) and
/// the whole name → secret map encrypted as one blob, so not even entry names are readable.
#[derive(Serialize, Deserialize)]
struct VaultFileBody {
    format: String,
    version: u32,
    kdf: String,
    /// base64 HKDF salt, random per file.
    salt: String,
    cipher: String,
    /// base64 24-byte nonce, new for every write.
    nonce: String,
    ciphertext: String,
}

impl VaultFileBody {
    fn associated_data(&self) -> Vec<u8> {
        format!(
            "{}/{}/{}/{}/{}",
            self.format, self.version, self.kdf, self.salt, self.cipher
        )
        .into_bytes()
    }
}

/// An encrypted file vault for headless servers: XChaCha20-Poly1305 with a key derived by
/// HKDF-SHA256 from `INSIGHTDESK_VAULT_KEY` and a per-file salt; random nonces; atomic
/// replacement (write a temporary file, fsync, rename) with 0600 permissions.
pub struct FileVault {
    path: PathBuf,
    salt: [u8; 16],
    cipher: XChaCha20Poly1305,
    entries: Mutex<BTreeMap<String, String>>,
}

impl fmt::Debug for FileVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileVault")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

fn derive_cipher(key: &Sensitive<String>, salt: &[u8]) -> Result<XChaCha20Poly1305, AuthError> {
    let chars = key.expose().chars().count();
    if chars < MIN_VAULT_KEY_CHARS {
        return Err(AuthError::VaultKeyTooShort {
            len: chars,
            min: MIN_VAULT_KEY_CHARS,
        });
    }
    let hkdf = hkdf::Hkdf::<Sha256>::new(Some(salt), key.expose().as_bytes());
    let mut okm = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit, so expand cannot fail.
    hkdf.expand(HKDF_INFO, &mut okm)
        .map_err(|_| AuthError::Task("deriving the vault key"))?;
    Ok(XChaCha20Poly1305::new(&okm.into()))
}

impl FileVault {
    /// Opens (or, when the file does not exist yet, prepares) the vault at `path`.
    pub fn open(path: &Path, key: &Sensitive<String>) -> Result<FileVault, AuthError> {
        let file_error = |action, e: std::io::Error| AuthError::VaultFile {
            action,
            path: path.to_owned(),
            reason: e.to_string(),
        };
        let damaged = |reason: &str| AuthError::VaultFileDamaged {
            path: path.to_owned(),
            reason: reason.to_owned(),
        };
        let text = match std::fs::read(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut salt = [0u8; 16];
                rand::rng().fill_bytes(&mut salt);
                return Ok(FileVault {
                    path: path.to_owned(),
                    cipher: derive_cipher(key, &salt)?,
                    salt,
                    entries: Mutex::new(BTreeMap::new()),
                });
            }
            Err(e) => return Err(file_error("read", e)),
        };
        let body: VaultFileBody = serde_json::from_slice(&text)
            .map_err(|_| damaged("it is not JSON of the expected shape"))?;
        if body.format != FILE_FORMAT || body.version != FILE_VERSION {
            return Err(damaged("unknown format or version"));
        }
        if body.kdf != "hkdf-sha256" || body.cipher != "xchacha20poly1305" {
            return Err(damaged("unknown key derivation or cipher"));
        }
        let decode = |text: &str| STANDARD.decode(text).map_err(|_| damaged("bad base64"));
        let salt: [u8; 16] = decode(&body.salt)?
            .try_into()
            .map_err(|_| damaged("the salt is not 16 bytes"))?;
        let nonce: [u8; 24] = decode(&body.nonce)?
            .try_into()
            .map_err(|_| damaged("the nonce is not 24 bytes"))?;
        let ciphertext = decode(&body.ciphertext)?;
        let cipher = derive_cipher(key, &salt)?;
        let aad = body.associated_data();
        let plain = cipher
            .decrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| AuthError::VaultKeyWrong {
                path: path.to_owned(),
            })?;
        let entries: BTreeMap<String, String> = serde_json::from_slice(&plain)
            .map_err(|_| damaged("the decrypted content is not a map"))?;
        Ok(FileVault {
            path: path.to_owned(),
            salt,
            cipher,
            entries: Mutex::new(entries),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn persist(&self, entries: &BTreeMap<String, String>) -> Result<(), AuthError> {
        let file_error = |action, e: std::io::Error| AuthError::VaultFile {
            action,
            path: self.path.clone(),
            reason: e.to_string(),
        };
        let plain = Sensitive::new(serde_json::to_vec(entries).unwrap_or_default());
        let mut nonce = [0u8; 24];
        rand::rng().fill_bytes(&mut nonce);
        let mut body = VaultFileBody {
            format: FILE_FORMAT.into(),
            version: FILE_VERSION,
            kdf: "hkdf-sha256".into(),
            salt: STANDARD.encode(self.salt),
            cipher: "xchacha20poly1305".into(),
            nonce: STANDARD.encode(nonce),
            ciphertext: String::new(),
        };
        let aad = body.associated_data();
        let ciphertext = self
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.expose(),
                    aad: &aad,
                },
            )
            .map_err(|_| AuthError::Task("encrypting the vault"))?;
        body.ciphertext = STANDARD.encode(ciphertext);
        let text = serde_json::to_vec_pretty(&body).unwrap_or_default();

        let dir = self
            .path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir).map_err(|e| file_error("create the folder of", e))?;
        let mut suffix = [0u8; 6];
        rand::rng().fill_bytes(&mut suffix);
        let file_name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "vault".into());
        let temp = dir.join(format!(
            ".{file_name}.{}.tmp",
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(suffix)
        ));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = (|| -> std::io::Result<()> {
            let mut file = options.open(&temp)?;
            file.write_all(&text)?;
            file.sync_all()?;
            std::fs::rename(&temp, &self.path)?;
            #[cfg(unix)]
            if let Ok(dir) = std::fs::File::open(dir) {
                // Makes the rename itself durable.
                let _ = dir.sync_all();
            }
            Ok(())
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&temp);
            return Err(file_error("write", e));
        }
        Ok(())
    }

    fn lock(&self) -> Result<std::sync::MutexGuard<'_, BTreeMap<String, String>>, AuthError> {
        self.entries
            .lock()
            .map_err(|_| AuthError::Task("the file vault"))
    }
}

impl Vault for FileVault {
    fn put(&self, name: &str, secret: &Sensitive<String>) -> Result<(), AuthError> {
        let mut entries = self.lock()?;
        let mut next = entries.clone();
        next.insert(name.to_owned(), secret.expose().clone());
        self.persist(&next)?;
        *entries = next;
        Ok(())
    }

    fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, AuthError> {
        Ok(self.lock()?.get(name).cloned().map(Sensitive::new))
    }

    fn delete(&self, name: &str) -> Result<bool, AuthError> {
        let mut entries = self.lock()?;
        if !entries.contains_key(name) {
            return Ok(false);
        }
        let mut next = entries.clone();
        next.remove(name);
        self.persist(&next)?;
        *entries = next;
        Ok(true)
    }

    fn list(&self) -> Result<Vec<String>, AuthError> {
        Ok(self.lock()?.keys().cloned().collect())
    }
}

// ---- typed access -------------------------------------------------------------------------

/// An own Meta app's id and secret (the own-app path), kept in the vault as `app.{kind}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnApp {
    pub app_id: String,
    pub app_secret: Sensitive<String>,
}

#[derive(Serialize, Deserialize)]
struct OwnAppRecord {
    format: u32,
    app_id: String,
    app_secret: String,
}

fn app_name(kind: LoginKind) -> String {
    format!("app.{}", kind.as_str())
}

/// Grants and app secrets over any [`Vault`]. Cloning is cheap.
#[derive(Debug, Clone)]
pub struct TokenStore {
    vault: Arc<dyn Vault>,
}

impl TokenStore {
    pub fn new(vault: Arc<dyn Vault>) -> Self {
        Self { vault }
    }

    pub fn vault(&self) -> &Arc<dyn Vault> {
        &self.vault
    }

    /// Stores (or replaces) a grant.
    pub fn save_grant(&self, grant: &Grant) -> Result<(), AuthError> {
        self.vault.put(&grant.vault_name(), &grant.to_record())
    }

    /// Every stored grant.
    pub fn grants(&self) -> Result<Vec<Grant>, AuthError> {
        let mut grants = Vec::new();
        for name in self.vault.list()? {
            if !name.starts_with("grant.") {
                continue;
            }
            if let Some(record) = self.vault.get(&name)? {
                grants.push(Grant::from_record(&name, &record)?);
            }
        }
        Ok(grants)
    }

    pub fn grant(&self, kind: LoginKind, user_id: &str) -> Result<Option<Grant>, AuthError> {
        let name = grant_name(kind, user_id);
        self.vault
            .get(&name)?
            .map(|record| Grant::from_record(&name, &record))
            .transpose()
    }

    /// The grant that reaches an Instagram account (the newest, if several do).
    pub fn grant_for_account(&self, ig_user_id: &str) -> Result<Option<Grant>, AuthError> {
        Ok(self
            .grants()?
            .into_iter()
            .filter(|g| g.has_account(ig_user_id))
            .max_by_key(|g| g.obtained_at))
    }

    pub fn delete_grant(&self, kind: LoginKind, user_id: &str) -> Result<bool, AuthError> {
        self.vault.delete(&grant_name(kind, user_id))
    }

    pub fn save_app(&self, kind: LoginKind, app: &OwnApp) -> Result<(), AuthError> {
        let record = OwnAppRecord {
            format: 1,
            app_id: app.app_id.clone(),
            app_secret: app.app_secret.expose().clone(),
        };
        let text = Sensitive::new(serde_json::to_string(&record).unwrap_or_default());
        self.vault.put(&app_name(kind), &text)
    }

    pub fn app(&self, kind: LoginKind) -> Result<Option<OwnApp>, AuthError> {
        let name = app_name(kind);
        let Some(text) = self.vault.get(&name)? else {
            return Ok(None);
        };
        let record: OwnAppRecord =
            serde_json::from_str(text.expose()).map_err(|e| AuthError::VaultRecord {
                name: name.clone(),
                reason: format!("unreadable at line {} column {}", e.line(), e.column()),
            })?;
        Ok(Some(OwnApp {
            app_id: record.app_id,
            app_secret: Sensitive::new(record.app_secret),
        }))
    }

    pub fn delete_app(&self, kind: LoginKind) -> Result<bool, AuthError> {
        self.vault.delete(&app_name(kind))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "a-test-key-that-is-long-enough-0123456789";

    #[test]
    fn profiles_and_kinds_parse() {
        assert_eq!(
            Profile::new("demo").unwrap().keyring_service(),
            "insightdesk.demo"
        );
        assert!(Profile::new("../x").is_err());
        assert!(Profile::new("").is_err());
        assert_eq!("file".parse::<VaultKind>().unwrap(), VaultKind::File);
        assert!("plain".parse::<VaultKind>().is_err());
    }

    #[test]
    fn file_vault_round_trips_and_is_never_plaintext() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.vault");
        let key = Sensitive::new(KEY.to_owned());
        let vault = FileVault::open(&path, &key).unwrap();
        vault
            .put("grant.x", &Sensitive::new("CANARYsecretValue".into()))
            .unwrap();
        vault
            .put("app.facebook", &Sensitive::new("other".into()))
            .unwrap();
        let raw = std::fs::read_to_string(&path).unwrap();
        assert!(!raw.contains("CANARY") && !raw.contains("grant.x"), "{raw}");
        let again = FileVault::open(&path, &key).unwrap();
        assert_eq!(again.list().unwrap(), ["app.facebook", "grant.x"]);
        assert_eq!(
            again.get("grant.x").unwrap().unwrap().expose(),
            "CANARYsecretValue"
        );
        assert!(again.delete("grant.x").unwrap());
        assert!(!again.delete("grant.x").unwrap());
        assert_eq!(
            FileVault::open(&path, &key).unwrap().list().unwrap(),
            ["app.facebook"]
        );
    }
}
