//! Output formats for query results (placeholder; being written).
