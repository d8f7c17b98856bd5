//! Work split over threads that each take the next piece as they are free,
//! the results handed on in order.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A thread per core, at least two and at most eight.
pub fn per_core() -> usize {
    std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 8))
}

/// Runs `work(k)` for every `k` in `0..count` on `workers` threads, each taking
/// the next `k` as it is free, and hands the results to `consume` on this
/// thread in order of `k`, as soon as each one's turn comes (a result that is
/// early waits for those before it).
pub fn in_order<T: Send>(
    count: usize,
    workers: usize,
    work: impl Fn(usize) -> T + Sync,
    mut consume: impl FnMut(T),
) {
    let next = AtomicUsize::new(0);
    let (work, next) = (&work, &next);
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<(usize, T)>(2 * workers);
        for _ in 0..workers {
            let tx = tx.clone();
            s.spawn(move || {
                loop {
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    if k >= count || tx.send((k, work(k))).is_err() {
                        return;
                    }
                }
            });
        }
        drop(tx);
        let mut early: BTreeMap<usize, T> = BTreeMap::new();
        let mut wanted = 0;
        for (k, out) in rx {
            early.insert(k, out);
            while let Some(out) = early.remove(&wanted) {
                consume(out);
                wanted += 1;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pieces that take unequal times still come out in order, each once.
    #[test]
    fn results_come_in_order_whatever_finishes_first() {
        let mut seen = Vec::new();
        in_order(
            200,
            3,
            |k| {
                if k % 7 == 0 {
                    std::thread::sleep(std::time::Duration::from_millis(1));
                }
                k * 2
            },
            |v| seen.push(v),
        );
        assert_eq!(seen, (0..200).map(|k| k * 2).collect::<Vec<_>>());
        let mut none = Vec::<usize>::new();
        in_order(0, 2, |k| k, |v| none.push(v));
        assert!(none.is_empty());
    }
}
