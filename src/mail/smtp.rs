//! Delivery through an SMTP server: async-smtp speaks the protocol, on a
//! one-thread tokio runtime, with TLS from the system's OpenSSL
//! (tokio-native-tls). The URL says how to connect (plain, STARTTLS, TLS),
//! the environment gives the credentials (a command-line value would show
//! in the process list), and each recipient gets the message over a
//! connection and in an envelope of its own, so that a refused address, a
//! timeout or a lost connection fails that recipient only, and is known
//! for it.

use std::time::Duration;

use anyhow::{Context, Result, bail};
use async_smtp::authentication::{Credentials, Mechanism};
use async_smtp::{EmailAddress, Envelope, SendableEmail, SmtpClient, SmtpTransport};
use lettre::Message;
use tokio::io::{AsyncRead, AsyncWrite, BufStream};
use tokio::net::TcpStream;
use tokio_native_tls::{TlsConnector, native_tls};

use super::message::Sender;

/// Environment variables holding the SMTP login.
pub const USER_VARIABLE: &str = "DESKQL_SMTP_USER";
pub const PASSWORD_VARIABLE: &str = "DESKQL_SMTP_PASSWORD";

/// How the connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// `smtp://`: none (a relay on this host or a trusted network).
    Plain,
    /// `smtp://...?tls=required`: STARTTLS, refused if the server lacks it.
    StartTls,
    /// `smtps://`: TLS from the first byte.
    Tls,
}

/// Where and how to deliver.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Server {
    host: String,
    port: u16,
    security: Security,
}

pub struct Transport {
    server: Server,
    credentials: Option<Credentials>,
    timeout: Duration,
    runtime: tokio::runtime::Runtime,
    /// `smtp://host:port` as recorded with each delivery (no credentials).
    label: String,
}

impl Transport {
    pub fn new(url: &str, timeout_seconds: u64) -> Result<Transport> {
        let server = parse_url(url)?;
        let credentials = credentials()?;
        if credentials.is_some() && server.security == Security::Plain {
            bail!("{PASSWORD_VARIABLE} is set but --smtp {url:?} is not encrypted: the password would cross the network in clear; use ?tls=required or smtps://");
        }
        let runtime = tokio::runtime::Builder::new_current_thread().enable_io().enable_time().build().context("starting the SMTP client")?;
        let label = format!("{}://{}:{}", if server.security == Security::Tls { "smtps" } else { "smtp" }, server.host, server.port);
        Ok(Transport { server, credentials, timeout: Duration::from_secs(timeout_seconds), runtime, label })
    }

    pub fn server(&self) -> &str {
        &self.label
    }

    /// Deliver `message` to `recipient` alone. Ok only when the server
    /// accepted it (a positive reply to the end of DATA); otherwise the
    /// server's answer or the connection's error, as text for the record.
    pub fn send(&self, message: &Message, sender: &Sender, recipient: &str) -> Result<(), String> {
        let from = EmailAddress::new(sender.address().to_string()).map_err(|err| format!("--from: {err}"))?;
        let to = EmailAddress::new(recipient.to_string()).map_err(|err| format!("{recipient:?}: {err}"))?;
        let envelope = Envelope::new(Some(from), vec![to]).map_err(|err| err.to_string())?;
        let email = SendableEmail::new(envelope, message.formatted());
        // The timer is made inside the runtime (tokio needs its context).
        let delivery = async { tokio::time::timeout(self.timeout, self.deliver(email)).await };
        match self.runtime.block_on(delivery) {
            Ok(Ok(())) => Ok(()),
            Ok(Err(err)) => Err(describe(&err)),
            Err(_) => Err(format!("timed out: no answer from {} within {} s", self.label, self.timeout.as_secs())),
        }
    }

    async fn deliver(&self, email: SendableEmail) -> Result<(), async_smtp::error::Error> {
        let tcp = TcpStream::connect((self.server.host.as_str(), self.server.port)).await?;
        match self.server.security {
            Security::Plain => self.over(SmtpTransport::new(SmtpClient::new(), BufStream::new(tcp)).await?, email).await,
            Security::Tls => {
                let tls = self.tls_connector()?.connect(&self.server.host, tcp).await.map_err(tls_error)?;
                self.over(SmtpTransport::new(SmtpClient::new(), BufStream::new(tls)).await?, email).await
            }
            Security::StartTls => {
                let plain = SmtpTransport::new(SmtpClient::new(), BufStream::new(tcp)).await?;
                let tcp = plain.starttls().await?.into_inner();
                let tls = self.tls_connector()?.connect(&self.server.host, tcp).await.map_err(tls_error)?;
                // After STARTTLS the server sends no new greeting; the client says EHLO again.
                self.over(SmtpTransport::new(SmtpClient::new().without_greeting(), BufStream::new(tls)).await?, email).await
            }
        }
    }

    /// Log in if credentials are set, send, say goodbye.
    async fn over<S>(&self, mut transport: SmtpTransport<BufStream<S>>, email: SendableEmail) -> Result<(), async_smtp::error::Error>
    where
        S: AsyncRead + AsyncWrite + Unpin,
    {
        if let Some(credentials) = &self.credentials {
            transport.try_login(credentials, &[Mechanism::Plain, Mechanism::Login]).await?;
        }
        transport.send(email).await?;
        // The message is accepted once DATA is; a failed QUIT changes nothing.
        let _ = transport.quit().await;
        Ok(())
    }

    fn tls_connector(&self) -> Result<TlsConnector, async_smtp::error::Error> {
        native_tls::TlsConnector::new().map(TlsConnector::from).map_err(tls_error)
    }
}

fn tls_error(err: native_tls::Error) -> async_smtp::error::Error {
    async_smtp::error::Error::Io(std::io::Error::other(format!("TLS: {err}")))
}

fn credentials() -> Result<Option<Credentials>> {
    match (std::env::var(USER_VARIABLE), std::env::var(PASSWORD_VARIABLE)) {
        (Ok(user), Ok(password)) => Ok(Some(Credentials::new(user, password))),
        (Err(_), Err(_)) => Ok(None),
        _ => bail!("set both {USER_VARIABLE} and {PASSWORD_VARIABLE}, or neither"),
    }
}

const URL_FORMS: &str = "expected smtp://HOST:PORT, smtp://HOST:PORT?tls=required (STARTTLS) or smtps://HOST:PORT";

/// `smtp://host[:port][?tls=required]` or `smtps://host[:port]`; no user or
/// password (the process list would show them).
fn parse_url(url: &str) -> Result<Server> {
    let (scheme, rest) = url.split_once("://").with_context(|| format!("--smtp {url:?}: {URL_FORMS}"))?;
    let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
    let authority = authority.trim_end_matches('/');
    if authority.contains('@') {
        bail!("--smtp {url:?}: no user or password in the URL (the process list shows it); set {USER_VARIABLE} and {PASSWORD_VARIABLE}");
    }
    let security = match (scheme, query) {
        ("smtp", "") => Security::Plain,
        ("smtp", "tls=required") => Security::StartTls,
        ("smtps", "") => Security::Tls,
        _ => bail!("--smtp {url:?}: {URL_FORMS}"),
    };
    let (host, port) = host_and_port(authority).with_context(|| format!("--smtp {url:?}: {URL_FORMS}"))?;
    let port = match (port, security) {
        (Some(port), _) => port,
        (None, Security::Plain) => 25,
        (None, Security::StartTls) => 587,
        (None, Security::Tls) => 465,
    };
    Ok(Server { host, port, security })
}

/// `host`, `host:port`, `[::1]:port`.
fn host_and_port(authority: &str) -> Option<(String, Option<u16>)> {
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let (host, after) = v6.split_once(']')?;
            (host, after.strip_prefix(':'))
        }
        None => match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        },
    };
    if host.is_empty() || host.chars().any(|c| c.is_whitespace() || c == '/') {
        return None;
    }
    let port = port.map(str::parse::<u16>).transpose().ok()?;
    Some((host.to_string(), port))
}

/// An SMTP failure as people read it: refused (permanent 5xx, transient
/// 4xx, with the server's code and words), or the connection's error.
fn describe(err: &async_smtp::error::Error) -> String {
    use async_smtp::error::Error;
    match err {
        Error::Permanent(response) => format!("refused (permanent): {} {}", response.code, response.message.join(" ")),
        Error::Transient(response) => format!("refused (transient, may succeed later): {} {}", response.code, response.message.join(" ")),
        Error::Io(io) => format!("connection failed: {io}"),
        other => format!("failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(host: &str, port: u16, security: Security) -> Server {
        Server { host: host.to_string(), port, security }
    }

    #[test]
    fn urls_say_how_to_connect() {
        assert_eq!(parse_url("smtp://127.0.0.1:2525").unwrap(), server("127.0.0.1", 2525, Security::Plain));
        assert_eq!(parse_url("smtp://mail.example?tls=required").unwrap(), server("mail.example", 587, Security::StartTls));
        assert_eq!(parse_url("smtps://mail.example").unwrap(), server("mail.example", 465, Security::Tls));
        assert_eq!(parse_url("smtp://[::1]:25/").unwrap(), server("::1", 25, Security::Plain));
        for bad in ["http://mail.example", "smtp://", "smtp://mail.example:99999", "smtp://mail.example?tls=maybe", "mail.example:25"] {
            assert!(parse_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn credentials_in_the_url_are_refused() {
        let err = parse_url("smtp://user:secret@mail.example:587").unwrap_err().to_string();
        assert!(err.contains(PASSWORD_VARIABLE), "{err}");
        assert!(parse_url("smtps://user@mail.example").is_err());
    }
}
