//! The private-network guard: no request may reach an address inside the network newsmon runs
//! in, unless `allow_private_networks` says so.
//!
//! A feed is untrusted input that names URLs, and so is every redirect. Without a guard, a feed
//! item (or a redirect from a public host) pointing at `http://169.254.169.254/` would make
//! newsmon fetch cloud credentials, or probe the intranet (SSRF). Checking the URL's host name
//! is not enough, because any name can resolve to `127.0.0.1`: the check runs on the resolved
//! addresses, inside the HTTP client's DNS resolver ([`GuardedResolver`]), on IP literals (which
//! reqwest connects to without resolving) before each request, and on every redirect target
//! ([`check_redirect`]). Miniflux does the same (`FETCHER_ALLOW_PRIVATE_NETWORKS`).

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use url::{Host, Url};

/// Why an address is refused; shown in the error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Unspecified,
    Loopback,
    Private,
    LinkLocal,
    UniqueLocal,
    SharedCgnat,
    CloudMetadata,
    Reserved,
    Multicast,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Unspecified => "an unspecified",
            Kind::Loopback => "a loopback",
            Kind::Private => "a private",
            Kind::LinkLocal => "a link-local",
            Kind::UniqueLocal => "a unique-local",
            Kind::SharedCgnat => "a shared (CGNAT)",
            Kind::CloudMetadata => "a cloud metadata",
            Kind::Reserved => "a reserved",
            Kind::Multicast => "a multicast",
        })
    }
}

/// A refused address. Travels through reqwest's error chain (from the resolver or the redirect
/// policy) and is found again by `client::classify`.
#[derive(Debug, Clone)]
pub(crate) struct Refused {
    /// The host as written in the URL.
    pub(crate) host: String,
    /// The address it is, or resolved to.
    pub(crate) addr: IpAddr,
    pub(crate) kind: Kind,
    /// The redirect target, when the refusal happened on a redirect.
    pub(crate) redirect: Option<Url>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(target) = &self.redirect {
            write!(f, "redirect to {target}: ")?;
        }
        if self.host.trim_matches(['[', ']']) == self.addr.to_string() {
            write!(f, "{} is {} address", self.addr, self.kind)?;
        } else {
            write!(
                f,
                "{} resolves to {}, {} address",
                self.host, self.addr, self.kind
            )?;
        }
        f.write_str(" (set allow_private_networks = true in [http] to allow)")
    }
}

impl std::error::Error for Refused {}

/// What kind of non-public address `ip` is, or `None` for a public one.
pub(crate) fn classify(ip: IpAddr) -> Option<Kind> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<Kind> {
    let [a, b, c, d] = ip.octets();
    // Metadata endpoints first, so that the message names them: AWS, GCP, Azure, OpenStack
    // (169.254.169.254), Alibaba (100.100.100.200), Oracle (192.0.0.192).
    if matches!(
        (a, b, c, d),
        (169, 254, 169, 254) | (100, 100, 100, 200) | (192, 0, 0, 192)
    ) {
        return Some(Kind::CloudMetadata);
    }
    Some(match (a, b) {
        (0, _) => Kind::Unspecified,          // "this network", RFC 1122
        (127, _) => Kind::Loopback,           // RFC 1122
        (10, _) => Kind::Private,             // RFC 1918
        (172, 16..=31) => Kind::Private,      // RFC 1918
        (192, 168) => Kind::Private,          // RFC 1918
        (169, 254) => Kind::LinkLocal,        // RFC 3927
        (100, 64..=127) => Kind::SharedCgnat, // RFC 6598
        (192, 0) if c == 0 => Kind::Reserved, // IETF protocol assignments, RFC 6890
        (198, 18 | 19) => Kind::Reserved,     // benchmarking, RFC 2544
        (224..=239, _) => Kind::Multicast,
        (240..=255, _) => Kind::Reserved, // incl. broadcast
        _ => return None,
    })
}

fn classify_v6(ip: Ipv6Addr) -> Option<Kind> {
    // An IPv4 address inside IPv6 (mapped ::ffff:a.b.c.d, NAT64 64:ff9b::/96, or the
    // deprecated compatible ::a.b.c.d) reaches that IPv4 address: judge the embedded one.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let segments = ip.segments();
    if segments[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return classify_v4(Ipv4Addr::from(
            (u32::from(segments[6]) << 16) | u32::from(segments[7]),
        ));
    }
    if ip.is_unspecified() {
        return Some(Kind::Unspecified);
    }
    if ip.is_loopback() {
        return Some(Kind::Loopback);
    }
    if segments[..6] == [0, 0, 0, 0, 0, 0] {
        return classify_v4(Ipv4Addr::from(
            (u32::from(segments[6]) << 16) | u32::from(segments[7]),
        ));
    }
    // AWS's IPv6 instance metadata endpoint (inside fc00::/7, named for the message).
    if ip == Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254) {
        return Some(Kind::CloudMetadata);
    }
    match segments[0] {
        s if s & 0xfe00 == 0xfc00 => Some(Kind::UniqueLocal), // fc00::/7, RFC 4193
        s if s & 0xffc0 == 0xfe80 => Some(Kind::LinkLocal),   // fe80::/10
        s if s & 0xffc0 == 0xfec0 => Some(Kind::Private),     // fec0::/10, deprecated site-local
        s if s & 0xff00 == 0xff00 => Some(Kind::Multicast),
        // 6to4 (2002::/16) carries an IPv4 address in bits 16..48.
        0x2002 => classify_v4(Ipv4Addr::from(
            (u32::from(segments[1]) << 16) | u32::from(segments[2]),
        )),
        0x0100 if segments[1..4] == [0, 0, 0] => Some(Kind::Reserved), // discard, RFC 6666
        _ => None,
    }
}

/// Refuses `url` when its host is an IP literal of a non-public address. Host names are checked
/// by [`GuardedResolver`] once resolved.
pub(crate) fn check_literal(url: &Url) -> Result<(), Box<Refused>> {
    let addr = match url.host() {
        Some(Host::Ipv4(v4)) => IpAddr::V4(v4),
        Some(Host::Ipv6(v6)) => IpAddr::V6(v6),
        _ => return Ok(()),
    };
    match classify(addr) {
        Some(kind) => Err(Box::new(Refused {
            host: url.host_str().unwrap_or_default().to_string(),
            addr,
            kind,
            redirect: None,
        })),
        None => Ok(()),
    }
}

/// Checks a redirect target: IP literals here, host names in the resolver when the next
/// request connects.
pub(crate) fn check_redirect(target: &Url) -> Result<(), Box<Refused>> {
    check_literal(target).map_err(|refused| {
        Box::new(Refused {
            redirect: Some(target.clone()),
            ..*refused
        })
    })
}

/// The system resolver, with every non-public address removed from the answer. A name that
/// resolves only to such addresses fails with [`Refused`].
///
/// Filtering (rather than refusing the name when any address is private) keeps hosts with one
/// stray private record reachable, and connects only to the public ones, so DNS rebinding
/// between the check and the connection is not possible: the connection uses exactly the
/// addresses returned here.
#[derive(Debug, Default)]
pub(crate) struct GuardedResolver;

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let resolved: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let mut refused = None;
            let public: Vec<SocketAddr> = resolved
                .into_iter()
                .filter(|addr| match classify(addr.ip()) {
                    Some(kind) => {
                        refused.get_or_insert(Refused {
                            host: host.clone(),
                            addr: addr.ip(),
                            kind,
                            redirect: None,
                        });
                        false
                    }
                    None => true,
                })
                .collect();
            match (public.is_empty(), refused) {
                (true, Some(refused)) => Err(Box::new(refused) as _),
                _ => Ok(Box::new(public.into_iter()) as Addrs),
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_table() {
        let cases: &[(&str, Option<Kind>)] = &[
            ("127.0.0.1", Some(Kind::Loopback)),
            ("127.255.0.9", Some(Kind::Loopback)),
            ("10.1.2.3", Some(Kind::Private)),
            ("172.16.0.1", Some(Kind::Private)),
            ("172.31.255.255", Some(Kind::Private)),
            ("172.32.0.1", None),
            ("192.168.1.1", Some(Kind::Private)),
            ("169.254.1.1", Some(Kind::LinkLocal)),
            ("169.254.169.254", Some(Kind::CloudMetadata)),
            ("100.100.100.200", Some(Kind::CloudMetadata)),
            ("100.64.0.1", Some(Kind::SharedCgnat)),
            ("100.128.0.1", None),
            ("0.0.0.0", Some(Kind::Unspecified)),
            ("224.0.0.1", Some(Kind::Multicast)),
            ("255.255.255.255", Some(Kind::Reserved)),
            ("8.8.8.8", None),
            ("93.184.216.34", None),
            ("::1", Some(Kind::Loopback)),
            ("::", Some(Kind::Unspecified)),
            ("fd00:ec2::254", Some(Kind::CloudMetadata)),
            ("fd12:3456::1", Some(Kind::UniqueLocal)),
            ("fc00::1", Some(Kind::UniqueLocal)),
            ("fe80::1", Some(Kind::LinkLocal)),
            ("ff02::1", Some(Kind::Multicast)),
            ("::ffff:127.0.0.1", Some(Kind::Loopback)),
            ("::ffff:169.254.169.254", Some(Kind::CloudMetadata)),
            ("64:ff9b::a00:1", Some(Kind::Private)),
            ("2002:c0a8:101::1", Some(Kind::Private)),
            ("2606:4700::1111", None),
            ("2a00:1450:4001::200e", None),
        ];
        for (text, want) in cases {
            let ip: IpAddr = text.parse().unwrap();
            assert_eq!(classify(ip), *want, "{text}");
        }
    }

    #[test]
    fn literal_hosts_are_checked_and_named() {
        let url = Url::parse("http://[::1]:8080/feed").unwrap();
        let refused = check_literal(&url).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "::1 is a loopback address (set allow_private_networks = true in [http] to allow)"
        );
        assert!(check_literal(&Url::parse("https://example.com/").unwrap()).is_ok());
        assert!(check_literal(&Url::parse("http://8.8.8.8/").unwrap()).is_ok());
        let target = Url::parse("http://169.254.169.254/latest/meta-data/").unwrap();
        assert_eq!(
            check_redirect(&target).unwrap_err().to_string(),
            "redirect to http://169.254.169.254/latest/meta-data/: 169.254.169.254 is a cloud \
             metadata address (set allow_private_networks = true in [http] to allow)"
        );
    }

    #[tokio::test]
    async fn the_resolver_refuses_names_of_loopback_addresses() {
        let name: Name = "localhost".parse().unwrap();
        let err = match GuardedResolver.resolve(name).await {
            Ok(addrs) => panic!("resolved to {:?}", addrs.collect::<Vec<_>>()),
            Err(err) => err,
        };
        let refused = err.downcast_ref::<Refused>().expect("a Refused error");
        assert_eq!(refused.kind, Kind::Loopback);
        assert!(
            refused.to_string().starts_with("localhost resolves to "),
            "{refused}"
        );
    }
}
