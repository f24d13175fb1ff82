//! An optional signature on an audit record: HMAC-SHA256, keyed with the
//! secret in the environment variable `DESKQL_AUDIT_KEY` (an environment
//! variable, never a command-line value, which other users of the machine
//! could read in the process list).
//!
//! The digest of a record proves that its figures are the ones it states,
//! and `audit verify` proves they come out again from the snapshot and the
//! definitions; neither proves who made the record, since anyone can edit a
//! record and compute a new digest. A signature does: only a holder of the
//! key can make one that verifies. It covers the whole record (every field
//! but the signature itself, in canonical form).

use anyhow::Result;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::canonical;
use crate::library::{hex, sha256_hex};

pub const KEY_VARIABLE: &str = "DESKQL_AUDIT_KEY";
const ALGORITHM: &str = "HMAC-SHA256";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Signature {
    pub algorithm: String,
    /// The first 16 hex digits of the key's SHA-256: which key signed, not the key.
    pub key_id: String,
    /// HMAC-SHA256 (hex) of the record's canonical text without `signature`.
    pub value: String,
}

/// The key from the environment, if one is set.
pub fn key() -> Option<Vec<u8>> {
    std::env::var_os(KEY_VARIABLE).filter(|k| !k.is_empty()).map(|k| k.into_encoded_bytes())
}

fn key_id(key: &[u8]) -> String {
    sha256_hex(&String::from_utf8_lossy(key))[..16].to_string()
}

/// HMAC-SHA256 (RFC 2104) over `sha2`, checked against RFC 4231's test
/// vectors below. Written here rather than taken from the `hmac` crate: that
/// crate turns on features of `digest` that the bundled DuckDB's build
/// script shares through `sha2`, and any change there recompiles DuckDB from
/// scratch (an hour on 2 cores).
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    const BLOCK: usize = 64;
    let mut block = [0u8; BLOCK];
    if key.len() > BLOCK {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|b| b ^ byte);
    let inner = Sha256::new().chain_update(pad(0x36)).chain_update(message).finalize();
    Sha256::new().chain_update(pad(0x5c)).chain_update(inner).finalize().into()
}

fn mac(key: &[u8], record: &Value) -> Result<String> {
    let mut unsigned = record.clone();
    if let Some(object) = unsigned.as_object_mut() {
        object.remove("signature");
    }
    Ok(hex(&hmac_sha256(key, canonical::canonical_text(&unsigned).as_bytes())))
}

/// Sign a record (its JSON without a signature).
pub fn sign(key: &[u8], record: &Value) -> Result<Signature> {
    Ok(Signature { algorithm: ALGORITHM.to_string(), key_id: key_id(key), value: mac(key, record)? })
}

/// What a signature check found.
pub enum Status {
    /// No signature and no key: nothing to check.
    Unsigned,
    /// Signed, but no key to check it with.
    NoKey { key_id: String },
    Valid { key_id: String },
    /// Each problem, naming the field.
    Invalid(Vec<String>),
}

/// Check the signature of a record (as read, every field included).
pub fn check(record: &Value) -> Result<Status> {
    let key = key();
    let Some(signature) = record.get("signature") else {
        return Ok(match key {
            Some(_) => Status::Invalid(vec![format!("signature: the record is not signed, and {KEY_VARIABLE} is set (a signed record was expected)")]),
            None => Status::Unsigned,
        });
    };
    let Ok(signature) = serde_json::from_value::<Signature>(signature.clone()) else {
        return Ok(Status::Invalid(vec!["signature: not a signature object (algorithm, key_id, value)".to_string()]));
    };
    let Some(key) = key else { return Ok(Status::NoKey { key_id: signature.key_id }) };
    let mut problems = Vec::new();
    if signature.algorithm != ALGORITHM {
        problems.push(format!("signature.algorithm: {:?}, expected {ALGORITHM}", signature.algorithm));
    }
    if signature.key_id != key_id(&key) {
        problems.push(format!("signature.key_id: signed with key {}, {KEY_VARIABLE} is key {}", signature.key_id, key_id(&key)));
    } else if signature.value != mac(&key, record)? {
        problems.push("signature.value: does not match the record (a field was changed after signing)".to_string());
    }
    Ok(if problems.is_empty() { Status::Valid { key_id: signature.key_id } } else { Status::Invalid(problems) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn hmac_sha256_matches_rfc_4231() {
        // Test case 1: a 20-byte key.
        assert_eq!(hex(&hmac_sha256(&[0x0b; 20], b"Hi There")), "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
        // Test case 2: a short key.
        assert_eq!(hex(&hmac_sha256(b"Jefe", b"what do ya want for nothing?")), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        // Test case 6: a key longer than a block is hashed first.
        assert_eq!(
            hex(&hmac_sha256(&[0xaa; 131], b"Test Using Larger Than Block-Size Key - Hash Key First")),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_signature_covers_every_field_but_itself() {
        let record = json!({"format": "x", "result": {"a": 1}, "created_at": "2026-01-01T00:00:00Z"});
        let signature = sign(b"k", &record).unwrap();
        let mut signed = record.clone();
        signed["signature"] = serde_json::to_value(&signature).unwrap();
        assert_eq!(mac(b"k", &signed).unwrap(), signature.value);
        signed["created_at"] = json!("2026-01-02T00:00:00Z");
        assert_ne!(mac(b"k", &signed).unwrap(), signature.value);
        assert_ne!(mac(b"other", &record).unwrap(), signature.value);
    }
}
