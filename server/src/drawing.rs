//! Drawing infographic PNGs on the server, bounded: anyone may ask for one (social sites
//! fetch a shared page's preview), so one visitor cycling through addresses must not pin
//! the CPU or the memory. At most `DRAWING` pictures are drawn at once and at most
//! `WAITING` requests wait for a turn (the rest get 503 at once); the same picture asked
//! for by many at once is drawn once (single flight); the last `KEPT` pictures stay in
//! memory, least recently used out first.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OnceCell, Semaphore};

/// Pictures drawn at the same time.
pub const DRAWING: usize = 2;
/// Requests that may wait for a turn; more are refused with 503.
pub const WAITING: usize = 8;
/// Pictures kept in memory (0.2-0.8 MB each).
pub const KEPT: usize = 32;
/// How long a request waits for a turn before it is refused.
const TURN_WAIT: Duration = Duration::from_secs(10);

/// Why no picture came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DrawError {
    /// Too many pictures asked for at once: try again shortly (503).
    Busy,
    /// The drawing itself failed (500, logged).
    Failed(String),
}

type Picture = Arc<Vec<u8>>;
type Draw = fn(&str) -> Result<Vec<u8>, String>;

struct Entry {
    svg: Arc<str>,
    picture: Arc<OnceCell<Picture>>,
    used: u64,
}

/// The bounded, caching drawer; one per process.
pub struct Drawer {
    draw: Draw,
    entries: Mutex<(HashMap<u64, Entry>, u64)>,
    turns: Semaphore,
    waiting: AtomicUsize,
    kept: usize,
    max_waiting: usize,
}

impl Drawer {
    pub fn new(draw: Draw, drawing: usize, max_waiting: usize, kept: usize) -> Drawer {
        Drawer {
            draw,
            entries: Mutex::new((HashMap::new(), 0)),
            turns: Semaphore::new(drawing),
            waiting: AtomicUsize::new(0),
            kept,
            max_waiting,
        }
    }

    /// The process-wide drawer of infographic PNGs.
    pub fn infographics() -> &'static Drawer {
        static DRAWER: std::sync::OnceLock<Drawer> = std::sync::OnceLock::new();
        DRAWER.get_or_init(|| {
            Drawer::new(
                |svg| app::backend::feedback::render::png(svg).map_err(|e| e.to_string()),
                DRAWING,
                WAITING,
                KEPT,
            )
        })
    }

    /// The picture of this SVG: from memory, from a drawing already under way, or drawn
    /// now when a turn comes free.
    pub async fn picture(&self, svg: &str) -> Result<Picture, DrawError> {
        let cell = self.cell(svg);
        if let Some(picture) = cell.get() {
            return Ok(Arc::clone(picture));
        }
        let picture = cell
            .get_or_try_init(|| async {
                let _turn = self.turn().await?;
                let draw = self.draw;
                let svg = svg.to_string();
                tokio::task::spawn_blocking(move || draw(&svg))
                    .await
                    .map_err(|e| DrawError::Failed(e.to_string()))?
                    .map(Arc::new)
                    .map_err(DrawError::Failed)
            })
            .await?;
        Ok(Arc::clone(picture))
    }

    async fn turn(&self) -> Result<tokio::sync::SemaphorePermit<'_>, DrawError> {
        if let Ok(permit) = self.turns.try_acquire() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(DrawError::Busy);
        }
        let permit = tokio::time::timeout(TURN_WAIT, self.turns.acquire()).await;
        self.waiting.fetch_sub(1, Ordering::SeqCst);
        match permit {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(DrawError::Busy),
        }
    }

    /// The slot for this SVG, made if new; the least recently used goes when full.
    fn cell(&self, svg: &str) -> Arc<OnceCell<Picture>> {
        let mut hasher = DefaultHasher::new();
        svg.hash(&mut hasher);
        let key = hasher.finish();
        let Ok(mut guard) = self.entries.lock() else {
            // A poisoned lock: draw without keeping it.
            return Arc::new(OnceCell::new());
        };
        let (entries, clock) = &mut *guard;
        *clock += 1;
        let now = *clock;
        if let Some(entry) = entries.get_mut(&key) {
            if &*entry.svg == svg {
                entry.used = now;
                return Arc::clone(&entry.picture);
            }
        }
        if entries.len() >= self.kept && !entries.contains_key(&key) {
            if let Some(oldest) = entries.iter().min_by_key(|(_, e)| e.used).map(|(k, _)| *k) {
                entries.remove(&oldest);
            }
        }
        let picture = Arc::new(OnceCell::new());
        entries.insert(
            key,
            Entry {
                svg: Arc::from(svg),
                picture: Arc::clone(&picture),
                used: now,
            },
        );
        picture
    }

    /// How many pictures are kept now.
    pub fn kept(&self) -> usize {
        self.entries.lock().map(|g| g.0.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    static DRAWN: AtomicUsize = AtomicUsize::new(0);
    static AT_ONCE: AtomicUsize = AtomicUsize::new(0);
    static MOST_AT_ONCE: AtomicUsize = AtomicUsize::new(0);

    /// The real drawing, counted, and slow enough that requests overlap.
    fn counted(svg: &str) -> Result<Vec<u8>, String> {
        let now = AT_ONCE.fetch_add(1, Ordering::SeqCst) + 1;
        MOST_AT_ONCE.fetch_max(now, Ordering::SeqCst);
        DRAWN.fetch_add(1, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(200));
        let png = app::backend::feedback::render::png(svg).map_err(|e| e.to_string());
        AT_ONCE.fetch_sub(1, Ordering::SeqCst);
        png
    }

    fn svg(n: usize) -> String {
        format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"20\">\
             <rect width=\"{n}\" height=\"10\" fill=\"#123456\"/></svg>"
        )
    }

    // One test, because the counters are shared.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn draws_once_at_most_two_at_a_time_and_refuses_a_crowd() {
        // Twelve asking for the same picture at once: drawn once, all get it.
        let drawer = Arc::new(Drawer::new(counted, 2, 4, 3));
        let same: Vec<_> = (0..12)
            .map(|_| {
                let d = Arc::clone(&drawer);
                tokio::spawn(async move { d.picture(&svg(1)).await })
            })
            .collect();
        for task in same {
            let png = task.await.unwrap().unwrap();
            assert!(png.starts_with(b"\x89PNG"));
        }
        assert_eq!(DRAWN.load(Ordering::SeqCst), 1, "single flight");

        // Twenty different pictures at once: never more than two drawn at the same time,
        // at most four wait, the rest are refused at once rather than queued.
        let crowd: Vec<_> = (10..30)
            .map(|n| {
                let d = Arc::clone(&drawer);
                tokio::spawn(async move { d.picture(&svg(n)).await })
            })
            .collect();
        let mut busy = 0;
        let mut drawn = 0;
        for task in crowd {
            match task.await.unwrap() {
                Ok(_) => drawn += 1,
                Err(DrawError::Busy) => busy += 1,
                Err(other) => panic!("{other:?}"),
            }
        }
        assert!(MOST_AT_ONCE.load(Ordering::SeqCst) <= 2);
        assert!(
            (2..=6).contains(&drawn),
            "two drawing and four waiting: {drawn}"
        );
        assert_eq!(busy + drawn, 20);
        assert!(busy >= 14);

        // Only the three most recently used stay.
        assert!(drawer.kept() <= 3, "{}", drawer.kept());
        let before = DRAWN.load(Ordering::SeqCst);
        let small = Drawer::new(counted, 2, 4, 2);
        for n in [1, 2, 1, 3, 1] {
            small.picture(&svg(n)).await.unwrap();
        }
        // 1, 2 and 3 drawn once each; 1 stayed because it was used last.
        assert_eq!(DRAWN.load(Ordering::SeqCst) - before, 3);
        small.picture(&svg(2)).await.unwrap();
        assert_eq!(DRAWN.load(Ordering::SeqCst) - before, 4, "2 had gone");
    }
}
