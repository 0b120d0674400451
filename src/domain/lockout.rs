//! Throttling of second-factor attempts: how many failures lock, and for how long.

use chrono::Duration;

#[derive(Debug, Clone, Copy)]
pub struct LockoutRules {
    /// Consecutive failures that start a lockout.
    pub threshold: i32,
    /// The first lockout's length; each further lockout doubles it.
    pub base: Duration,
    /// The longest lockout.
    pub max: Duration,
}

impl Default for LockoutRules {
    fn default() -> Self {
        Self {
            threshold: 5,
            base: Duration::minutes(5),
            max: Duration::hours(24),
        }
    }
}

impl LockoutRules {
    /// Length of the lockout that starts now, given how many lockouts came before it
    /// without a success in between.
    pub fn duration(&self, previous_lockouts: i32) -> Duration {
        let factor = 1i64 << previous_lockouts.clamp(0, 20);
        let secs = self.base.num_seconds().saturating_mul(factor);
        Duration::seconds(secs.min(self.max.num_seconds()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lockouts_double_and_cap() {
        let r = LockoutRules {
            threshold: 5,
            base: Duration::seconds(60),
            max: Duration::seconds(600),
        };
        assert_eq!(r.duration(0).num_seconds(), 60);
        assert_eq!(r.duration(1).num_seconds(), 120);
        assert_eq!(r.duration(3).num_seconds(), 480);
        assert_eq!(r.duration(4).num_seconds(), 600);
        assert_eq!(r.duration(100).num_seconds(), 600);
    }
}
