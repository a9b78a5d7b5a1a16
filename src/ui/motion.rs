//! Motion that shows cause: when a replacement instance gets its app task, a copy of the app chip
//! travels from the draining instance it replaces to the new one (a FLIP move: first and last
//! positions measured, the copy animated between them with the Web Animations API, the real chip
//! revealed when it lands). What moves is decided from the engine's change sets (a new app task on
//! a tile whose `replacement_of` is set); this module only draws it, scaled to the playback speed.
//!
//! Hand-written: a dozen lines of `Element.animate`; an animation library would add weight to the
//! bundle for one keyframe pair.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function travel(from_id, to_id, ms) {
  const q = (id) => document.querySelector(`#grid .tile[data-instance="${id}"]`);
  const fromTile = q(from_id), toTile = q(to_id);
  if (!fromTile || !toTile || typeof fromTile.animate !== 'function') return;
  const from = fromTile.querySelector('.chip.app') || fromTile;
  const to = toTile.querySelector('.chip.app:last-child') || toTile;
  const a = from.getBoundingClientRect(), b = to.getBoundingClientRect();
  if (a.width === 0 || b.width === 0) return;
  const ghost = document.createElement('div');
  ghost.className = 'chip app chip-travel';
  ghost.dataset.from = from_id;
  ghost.dataset.to = to_id;
  ghost.textContent = (to.textContent || 'app').trim();
  ghost.style.left = `${a.left}px`;
  ghost.style.top = `${a.top}px`;
  ghost.style.width = `${Math.max(a.width, 60)}px`;
  document.body.appendChild(ghost);
  const move = ghost.animate(
    [{ transform: 'translate(0, 0)' }, { transform: `translate(${b.left - a.left}px, ${b.top - a.top}px)` }],
    { duration: ms, easing: 'ease-in-out' });
  move.onfinish = () => ghost.remove();
  move.oncancel = () => ghost.remove();
  to.animate([{ opacity: 0 }, { opacity: 0, offset: 0.9 }, { opacity: 1 }], { duration: ms });
}
"#)]
extern "C" {
    fn travel(from_id: &str, to_id: &str, ms: f64);
}

/// Simulated time a move stands for: the move lasts this long in wall time divided by the speed.
const MOVE_SIM_MS: f64 = 30_000.0;
/// The longest a move takes (wall ms), at low speeds.
const MAX_MOVE_MS: f64 = 1_600.0;
/// Below this (wall ms) a move cannot be followed: the chip just appears where it ends.
const MIN_MOVE_MS: f64 = 150.0;

/// Wall duration of a move at `speed`, or None when it collapses to the end state.
pub fn move_ms(speed: f64) -> Option<f64> {
    let ms = (MOVE_SIM_MS / speed.max(1.0)).min(MAX_MOVE_MS);
    (ms >= MIN_MOVE_MS).then_some(ms)
}

/// Plays the moves of app tasks from the instance each came from to the one it went to.
pub fn play(moves: &[(String, String)], speed: f64) {
    let Some(ms) = move_ms(speed) else { return };
    for (from, to) in moves {
        travel(from, to, ms);
    }
}
