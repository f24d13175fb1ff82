//! Property check of the temporal storage: after ingesting a random sequence
//! of snapshots (rows added, changed, removed, and changed back), the state as
//! of every snapshot equals exactly what that snapshot held; dropping any one
//! snapshot leaves every other snapshot's state unchanged.



use crate::fixture::{Snapshot, deskql, query};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tempfile::TempDir;

/// Random customer tables: ids 1..=12, each present with probability 0.8 and
/// one of three names, so rows appear, vanish, change and change back.
fn random_customers(rng: &mut ChaCha8Rng) -> Vec<(i64, &'static str)> {
    let names = ["Ann", "Bea", "Cy"];
    let mut rows = Vec::new();
    for id in 1..=12 {
        if rng.random_bool(0.8) {
            rows.push((id, names[rng.random_range(0..3)]));
        }
    }
    rows
}

fn customers_select(rows: &[(i64, &str)]) -> String {
    let values: Vec<String> = rows.iter().map(|(id, name)| format!("({id}::BIGINT, '{name}')")).collect();
    format!("SELECT 1::BIGINT AS account_id, customer_id, name, NULL::VARCHAR AS email, NULL::TIMESTAMP AS created_at FROM (VALUES {}) t(customer_id, name)", values.join(", "))
}

fn expected(rows: &[(i64, &str)]) -> Vec<String> {
    rows.iter().map(|(id, name)| format!("{id}|{name}")).collect()
}

fn state_at(db: &std::path::Path, seq: i64) -> Vec<String> {
    query(db, &format!("SELECT customer_id, name FROM customers_at({seq}) ORDER BY customer_id"))
}

#[test]
fn every_snapshot_state_is_reproduced_exactly_and_survives_dropping_another() {
    for seed in 0..4u64 {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let tmp = TempDir::new().unwrap();
        let db = tmp.path().join("t.duckdb");
        let mut history = Vec::new();
        for k in 1..=5 {
            let rows = random_customers(&mut rng);
            let dir = Snapshot::minimal().with("customers", &customers_select(&rows)).write(&tmp.path().join(format!("s{k}")));
            deskql(&db).args(["ingest", "--snapshot", &format!("s{k}")]).arg(&dir).assert().success();
            history.push(rows);
        }
        for (i, rows) in history.iter().enumerate() {
            assert_eq!(state_at(&db, i as i64 + 1), expected(rows), "seed {seed}, snapshot {}", i + 1);
        }
        let victim = rng.random_range(1..=5usize);
        deskql(&db).args(["snapshots", "drop", &format!("s{victim}")]).assert().success();
        for (i, rows) in history.iter().enumerate() {
            let seq = i + 1;
            if seq != victim {
                assert_eq!(state_at(&db, seq as i64), expected(rows), "seed {seed}, snapshot {seq} after dropping {victim}");
            }
        }
        let latest = if victim == 5 { 3 } else { 4 };
        assert_eq!(query(&db, "SELECT customer_id, name FROM customers ORDER BY customer_id"), expected(&history[latest]), "seed {seed}: latest state");
    }
}
