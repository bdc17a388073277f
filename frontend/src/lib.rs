//! The browser half of Klankbord: hydrates the islands (`#[island]` components) of the
//! server-rendered pages. Today no page has one, so no page loads this (see
//! docs/decisions.md, "Islands").

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
