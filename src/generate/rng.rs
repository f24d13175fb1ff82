//! Random streams. Every entity (an account, a customer, a user, a conversation,
//! the change of one conversation in one week, ...) draws from its own ChaCha8
//! stream, keyed by the seed, a domain and the entity's identity. So no row
//! depends on the order of generation, on batch sizes or on threads, and an
//! entity's rows come out identical in every revision of a snapshot.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// What a stream is for; part of the stream key, so two kinds of entity with
/// the same index never share draws.
#[derive(Debug, Clone, Copy)]
pub enum Domain {
    /// How the conversations are split between accounts.
    Split = 1,
    Account,
    /// Conversation count of one later week of an account.
    Week,
    Customer,
    User,
    Conversation,
    /// The change (if any) of one conversation in one later week.
    Change,
    /// An account's office hours and holidays (a stream of their own, so
    /// that no other table's rows change).
    OfficeHours,
}

/// Stream factory for one seed.
#[derive(Debug, Clone, Copy)]
pub struct Streams {
    seed: u64,
}

impl Streams {
    pub fn new(seed: u64) -> Streams {
        Streams { seed }
    }

    /// The stream of entity `index` of `domain` within account `account`.
    pub fn rng(&self, domain: Domain, account: u64, index: u64) -> Rand {
        let mut key = [0u8; 32];
        let mut state = 0x6465_736b_716c_0001_u64; // "deskql", version 1 of the key layout
        for (i, word) in [self.seed, domain as u64, account, 0].into_iter().enumerate() {
            state = splitmix64(state ^ word);
            key[i * 8..i * 8 + 8].copy_from_slice(&state.to_le_bytes());
        }
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(index);
        Rand(rng)
    }
}

/// SplitMix64 finaliser: spreads a 64-bit word over the whole key.
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stream with the few distributions the generator needs (rand_distr is not
/// a dependency; these are the textbook inverse-transform forms).
pub struct Rand(ChaCha8Rng);

impl Rand {
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        self.0.random::<f64>()
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform integer in [lo, hi); `lo` when the range is empty.
    pub fn below(&mut self, lo: u64, hi: u64) -> u64 {
        if hi <= lo { lo } else { self.0.random_range(lo..hi) }
    }

    pub fn index(&mut self, len: usize) -> usize {
        self.below(0, len as u64) as usize
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An item chosen with the given relative weights.
    pub fn weighted<T: Copy>(&mut self, items: &[(T, f64)]) -> T {
        let total: f64 = items.iter().map(|(_, w)| w).sum();
        let mut x = self.unit() * total;
        for (item, weight) in items {
            if x < *weight {
                return *item;
            }
            x -= weight;
        }
        items[items.len() - 1].0
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -(1.0 - self.unit()).ln() * mean
    }

    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Log-normal with the given median and shape: waiting times are skewed.
    pub fn lognormal(&mut self, median: f64, sigma: f64) -> f64 {
        median * (sigma * self.normal()).exp()
    }

    /// Poisson count (Knuth; the generator only uses small means).
    pub fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean).exp();
        let mut product = self.unit();
        let mut count = 0;
        while product > limit && count < 1000 {
            product *= self.unit();
            count += 1;
        }
        count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let streams = Streams::new(42);
        let a: Vec<u64> = (0..4).map(|_| streams.rng(Domain::Conversation, 1, 7).below(0, 1 << 40)).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]), "same key, same first draw");
        let mut x = streams.rng(Domain::Conversation, 1, 7);
        let mut y = streams.rng(Domain::Conversation, 1, 8);
        let mut z = streams.rng(Domain::Customer, 1, 7);
        let mut w = Streams::new(43).rng(Domain::Conversation, 1, 7);
        let first = x.below(0, u64::MAX);
        assert_ne!(first, y.below(0, u64::MAX));
        assert_ne!(first, z.below(0, u64::MAX));
        assert_ne!(first, w.below(0, u64::MAX));
    }

    #[test]
    fn distributions_have_their_means() {
        let mut rng = Streams::new(1).rng(Domain::Account, 0, 0);
        let n = 20_000;
        let exp: f64 = (0..n).map(|_| rng.exponential(3.0)).sum::<f64>() / n as f64;
        assert!((exp - 3.0).abs() < 0.15, "exponential mean {exp}");
        let poisson: f64 = (0..n).map(|_| rng.poisson(1.5) as f64).sum::<f64>() / n as f64;
        assert!((poisson - 1.5).abs() < 0.05, "poisson mean {poisson}");
        let mut medians: Vec<f64> = (0..n).map(|_| rng.lognormal(10.0, 1.0)).collect();
        medians.sort_by(f64::total_cmp);
        assert!((medians[n / 2] - 10.0).abs() < 0.6, "lognormal median {}", medians[n / 2]);
    }
}
