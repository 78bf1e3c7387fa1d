//! Where Meta lives: the five base URLs, the API version and the two login kinds.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::GraphError;

/// One of Meta's hosts. Every URL the client builds starts at one of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Host {
    /// `graph.facebook.com`: the Graph API for Facebook Login, its OAuth token endpoint,
    /// `debug_token` and the batch endpoint.
    GraphFacebook,
    /// `graph.instagram.com`: the Graph API for Instagram Login, `ig_exchange_token`, `ig_refresh_token`.
    GraphInstagram,
    /// `api.instagram.com`: Instagram Login's code exchange.
    ApiInstagram,
    /// `www.facebook.com`: the Facebook Login dialog.
    WwwFacebook,
    /// `www.instagram.com`: the Instagram Login authorize page.
    WwwInstagram,
}

impl Host {
    pub const ALL: [Host; 5] = [
        Host::GraphFacebook,
        Host::GraphInstagram,
        Host::ApiInstagram,
        Host::WwwFacebook,
        Host::WwwInstagram,
    ];

    /// The real host name, which is also the sandbox's path prefix for it.
    pub fn name(self) -> &'static str {
        match self {
            Host::GraphFacebook => "graph.facebook.com",
            Host::GraphInstagram => "graph.instagram.com",
            Host::ApiInstagram => "api.instagram.com",
            Host::WwwFacebook => "www.facebook.com",
            Host::WwwInstagram => "www.instagram.com",
        }
    }
}

/// The base URL of each Meta host (no trailing slash). Real HTTPS hosts by default;
/// [`Endpoints::sandbox`] points every host at `{base}/{host}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    graph_facebook: String,
    graph_instagram: String,
    api_instagram: String,
    www_facebook: String,
    www_instagram: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Self::meta()
    }
}

impl Endpoints {
    /// Meta's real hosts.
    pub fn meta() -> Self {
        Self::from_fn(|host| format!("https://{}", host.name()))
    }

    /// Every host under one base URL, the sandbox's layout: `{base}/graph.facebook.com`,
    /// `{base}/graph.instagram.com`, and so on.
    pub fn sandbox(base: &str) -> Self {
        let base = base.trim_end_matches('/');
        Self::from_fn(|host| format!("{base}/{}", host.name()))
    }

    fn from_fn(f: impl Fn(Host) -> String) -> Self {
        Self {
            graph_facebook: f(Host::GraphFacebook),
            graph_instagram: f(Host::GraphInstagram),
            api_instagram: f(Host::ApiInstagram),
            www_facebook: f(Host::WwwFacebook),
            www_instagram: f(Host::WwwInstagram),
        }
    }

    /// Replaces one host's base URL (for a broker or a proxy in front of one host).
    pub fn with_base(mut self, host: Host, base: &str) -> Self {
        let base = base.trim_end_matches('/').to_owned();
        match host {
            Host::GraphFacebook => self.graph_facebook = base,
            Host::GraphInstagram => self.graph_instagram = base,
            Host::ApiInstagram => self.api_instagram = base,
            Host::WwwFacebook => self.www_facebook = base,
            Host::WwwInstagram => self.www_instagram = base,
        }
        self
    }

    pub fn base(&self, host: Host) -> &str {
        match host {
            Host::GraphFacebook => &self.graph_facebook,
            Host::GraphInstagram => &self.graph_instagram,
            Host::ApiInstagram => &self.api_instagram,
            Host::WwwFacebook => &self.www_facebook,
            Host::WwwInstagram => &self.www_instagram,
        }
    }

    /// `{base}/{path}` for one host, parsed. `path` has no leading slash.
    pub fn url(&self, host: Host, path: &str) -> Result<url::Url, GraphError> {
        let raw = format!("{}/{}", self.base(host), path.trim_start_matches('/'));
        url::Url::parse(&raw).map_err(|source| GraphError::InvalidUrl {
            url: insightdesk_secret::redact_url(&raw),
            reason: source.to_string(),
        })
    }
}

/// A Graph API version such as `v26.0`. Meta has only shipped `.0` minors since v2.12, so the
/// major number is the whole identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion(u16);

impl ApiVersion {
    /// The newest live version (released 29 Jul 2026).
    pub const LATEST: ApiVersion = ApiVersion(26);

    pub const fn new(major: u16) -> Self {
        Self(major)
    }

    pub fn major(self) -> u16 {
        self.0
    }

    /// The path segment, `v26.0`.
    pub fn segment(self) -> String {
        self.to_string()
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self::LATEST
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}.0", self.0)
    }
}

impl FromStr for ApiVersion {
    type Err = GraphError;

    /// Accepts `v26.0`, `26.0`, `v26` and `26`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        let digits = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let digits = digits.strip_suffix(".0").unwrap_or(digits);
        digits
            .parse::<u16>()
            .ok()
            .filter(|major| *major > 0)
            .map(ApiVersion)
            .ok_or_else(|| GraphError::InvalidVersion(s.to_owned()))
    }
}

impl Serialize for ApiVersion {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ApiVersion {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

/// Which of Meta's two Instagram APIs a token belongs to. They differ in host, paths, fields,
/// permissions and token lifecycle (see `docs/API-FACTS.md` (a)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LoginKind {
    /// Instagram API with Facebook Login: needs a Page, talks to graph.facebook.com.
    Facebook,
    /// Instagram API with Instagram Login: no Page, talks to graph.instagram.com.
    Instagram,
}

impl LoginKind {
    pub const ALL: [LoginKind; 2] = [LoginKind::Facebook, LoginKind::Instagram];

    /// The Graph host this login kind's tokens work against.
    pub fn graph_host(self) -> Host {
        match self {
            LoginKind::Facebook => Host::GraphFacebook,
            LoginKind::Instagram => Host::GraphInstagram,
        }
    }

    /// Whether this login kind's Graph host has the batch endpoint (Facebook Login only).
    pub fn has_batch(self) -> bool {
        matches!(self, LoginKind::Facebook)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LoginKind::Facebook => "facebook",
            LoginKind::Instagram => "instagram",
        }
    }
}

impl fmt::Display for LoginKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LoginKind::Facebook => "Facebook Login",
            LoginKind::Instagram => "Instagram Login",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sandbox_prefixes_every_host() {
        let e = Endpoints::sandbox("http://127.0.0.1:4000/");
        for host in Host::ALL {
            assert_eq!(
                e.base(host),
                format!("http://127.0.0.1:4000/{}", host.name())
            );
        }
        assert_eq!(
            e.url(Host::GraphFacebook, "/v26.0/me")
                .map(|u| u.to_string())
                .ok(),
            Some("http://127.0.0.1:4000/graph.facebook.com/v26.0/me".to_owned())
        );
    }

    #[test]
    fn real_hosts_are_https() {
        let e = Endpoints::default();
        assert_eq!(e.base(Host::WwwInstagram), "https://www.instagram.com");
        assert_eq!(e.base(Host::ApiInstagram), "https://api.instagram.com");
        let e = e.with_base(Host::ApiInstagram, "https://broker.example/");
        assert_eq!(e.base(Host::ApiInstagram), "https://broker.example");
    }

    #[test]
    fn versions_parse_and_order() {
        for text in ["v26.0", "26.0", "v26", "26", " V26.0 "] {
            assert_eq!(
                text.parse::<ApiVersion>().ok(),
                Some(ApiVersion::new(26)),
                "{text}"
            );
        }
        for bad in ["", "v", "vx.0", "v0.0", "26.1", "-3"] {
            assert!(bad.parse::<ApiVersion>().is_err(), "{bad}");
        }
        assert!(ApiVersion::new(21) < ApiVersion::new(22));
        assert_eq!(ApiVersion::default().to_string(), "v26.0");
    }
}
