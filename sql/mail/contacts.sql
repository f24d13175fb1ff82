-- Who gets an account's monthly usage email (`src/contacts.rs`): the
-- contract table `account_contacts` as of a snapshot.

-- name: table_exists
-- A database made before deskql knew `account_contacts`, opened read-only,
-- has no such table yet (a read-write open adds it).
SELECT count(*) > 0 FROM duckdb_tables() WHERE schema_name = 'hist' AND table_name = 'account_contacts';

-- name: primary_contacts
SELECT account_id, email, name
FROM main.account_contacts_at(CAST(? AS INTEGER))
WHERE is_primary
ORDER BY account_id, lower(email), email;
