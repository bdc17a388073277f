//! The browser half of Klankbord: hydrates the server-rendered HTML.

// The release build of the hydration code for the question page nests types deeply.
#![recursion_limit = "512"]

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(app::App);
}
