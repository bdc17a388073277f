use crate::i18n::*;
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn NotFound() -> impl IntoView {
    super::respond_not_found();
    let i18n = use_i18n();
    view! {
        <Title text=t_string!(i18n, errors.page_not_found).to_string() />
        <section class="page page--narrow">
            <h1>{t!(i18n, errors.page_not_found)}</h1>
            <p><a class="button" href="/">{t!(i18n, errors.back_home)}</a></p>
        </section>
    }
}
