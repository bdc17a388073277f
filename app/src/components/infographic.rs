//! The feedback infographic as an HTML page part: real headings, lists and text, in the
//! colours of its theme. The same data becomes the SVG and PNG downloads on the server.

use crate::i18n::*;
use crate::model::{Infographic, Progress, ResponseStatus};
use leptos::prelude::*;
use leptos_i18n::I18nContext;

/// The status of an answer in words (the icon beside it only repeats it).
pub fn status_word(i18n: I18nContext<Locale>, status: ResponseStatus) -> String {
    match status {
        ResponseStatus::Adopted => t_string!(i18n, feedback.status_adopted),
        ResponseStatus::Partly => t_string!(i18n, feedback.status_partly),
        ResponseStatus::NotAdopted => t_string!(i18n, feedback.status_not_adopted),
        ResponseStatus::StillOpen => t_string!(i18n, feedback.status_still_open),
    }
    .to_string()
}

/// The state of carrying out a recommendation in words.
pub fn progress_word(i18n: I18nContext<Locale>, progress: Progress) -> String {
    match progress {
        Progress::Planned => t_string!(i18n, feedback.progress_planned),
        Progress::InProgress => t_string!(i18n, feedback.progress_in_progress),
        Progress::Done => t_string!(i18n, feedback.progress_done),
        Progress::Stopped => t_string!(i18n, feedback.progress_stopped),
    }
    .to_string()
}

fn paragraphs(text: &str) -> impl IntoView {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| view! { <p class="preserve-lines">{p.trim().to_string()}</p> })
        .collect_view()
}

/// The infographic. `heading_id` names its main heading (for `aria-labelledby`).
#[component]
pub fn InfographicView(graphic: Infographic) -> impl IntoView {
    let i18n = use_i18n();
    // The theme's colours come from a class: the Content-Security-Policy allows no inline
    // styles. `style/main.css` holds the same values as `ColourTheme::colours` (a test
    // compares them).
    let class = format!("infographic infographic--{}", graphic.theme.as_str());
    let g = graphic;
    let days = g
        .days
        .map(|d| d.to_string())
        .unwrap_or_else(|| "–".to_string());
    view! {
        <article class=class aria-labelledby="infographic-heading">
            <header class="infographic__band">
                <p class="infographic__panel">{g.panel_name.clone()}</p>
                <h1 id="infographic-heading" class="infographic__heading">{t!(i18n, feedback.ig_heading)}</h1>
                <p class="infographic__title">{g.title.clone()}</p>
            </header>
            // Two parts: top to bottom on a screen, side by side on paper.
            <div class="infographic__parts">
            <div class="infographic__part">
            <section class="infographic__section" aria-labelledby="ig-question">
                <h2 id="ig-question">{t!(i18n, feedback.ig_question)}</h2>
                <p class="infographic__lead">{g.question.clone()}</p>
                {(!g.asked_on.is_empty()).then(|| {
                    let on = g.asked_on.clone();
                    match (g.unsolicited, g.asked_by.clone()) {
                        (true, _) => view! { <p class="infographic__asked">{t!(i18n, feedback.ig_raised, date = on)}</p> }.into_any(),
                        (false, Some(by)) => view! { <p class="infographic__asked">{t!(i18n, feedback.ig_asked_by, by = by, date = on)}</p> }.into_any(),
                        (false, None) => view! { <p class="infographic__asked">{t!(i18n, feedback.ig_asked_on, date = on)}</p> }.into_any(),
                    }
                })}
            </section>
            {(!g.said.is_empty() || !g.top_inputs.is_empty()).then(|| view! {
                <section class="infographic__section" aria-labelledby="ig-said">
                    <h2 id="ig-said">{t!(i18n, feedback.ig_said)}</h2>
                    {paragraphs(&g.said)}
                    {(!g.top_inputs.is_empty()).then(|| view! {
                        <h3>{t!(i18n, feedback.ig_top_inputs)}</h3>
                        <ul class="infographic__inputs">
                            {g.top_inputs.iter().map(|i| view! { <li>{i.clone()}</li> }).collect_view()}
                        </ul>
                    })}
                </section>
            })}
            {g.quote.clone().map(|q| view! {
                <figure class="infographic__quote">
                    <blockquote><p>"„"{q}"”"</p></blockquote>
                    <figcaption>{t!(i18n, feedback.ig_quote_caption)}</figcaption>
                </figure>
            })}
            </div>
            <div class="infographic__part">
            <section class="infographic__section" aria-labelledby="ig-done">
                <h2 id="ig-done">{t!(i18n, feedback.ig_done)}</h2>
                <ol class="infographic__items">
                    {g.items.iter().map(|item| {
                        let status = item.status;
                        let class = format!("infographic__status infographic__status--{}", item.status.as_str());
                        view! {
                            <li class="infographic__item">
                                <p class=class>
                                    <span aria-hidden="true">{status.icon()}</span>" "{move || status_word(i18n, status)}
                                </p>
                                <p class="infographic__recommendation">
                                    <span class="visually-hidden">{t!(i18n, feedback.recommendation_n, n = item.position)}": "</span>
                                    {item.recommendation.clone()}
                                </p>
                                {paragraphs(&item.explanation)}
                                {item.follow_up.clone().map(|d| view! {
                                    <p class="small"><strong>{t!(i18n, feedback.follow_up_on, date = d)}</strong></p>
                                })}
                                {item.progress.clone().map(|u| {
                                    let state = u.state;
                                    view! {
                                        <div class=format!("infographic__update infographic__update--{}", state.as_str())>
                                            <p><strong>{t!(i18n, feedback.progress_update)}" "{u.on.clone()}": "{move || progress_word(i18n, state)}</strong></p>
                                            {paragraphs(&u.note)}
                                            {u.expected.clone().map(|d| view! { <p class="small">{t!(i18n, feedback.progress_expected, date = d)}</p> })}
                                        </div>
                                    }
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
            {(!g.meaning.is_empty()).then(|| view! {
                <section class="infographic__section" aria-labelledby="ig-meaning">
                    <h2 id="ig-meaning">{t!(i18n, feedback.ig_meaning)}</h2>
                    {paragraphs(&g.meaning)}
                </section>
            })}
            </div>
            </div>
            <section class="infographic__section" aria-labelledby="ig-numbers">
                <h2 id="ig-numbers">{t!(i18n, feedback.ig_numbers)}</h2>
                <dl class="infographic__numbers">
                    <div><dt>{t!(i18n, feedback.ig_members)}</dt><dd>{g.members}</dd></div>
                    <div><dt>{t!(i18n, feedback.ig_meetings)}</dt><dd>{g.meetings}</dd></div>
                    <div><dt>{t!(i18n, feedback.ig_days)}</dt><dd>{days}</dd></div>
                </dl>
            </section>
            {g.published.clone().map(|d| view! {
                <footer class="infographic__footer small">{t!(i18n, feedback.published_on, date = d)}</footer>
            })}
        </article>
    }
}

#[cfg(test)]
mod tests {
    use crate::model::ColourTheme;

    /// The stylesheet gives every theme the colours the SVG and PNG use.
    #[test]
    fn stylesheet_has_the_theme_colours() {
        let css = include_str!("../../../style/main.css");
        for theme in ColourTheme::ALL {
            let (background, accent, on_accent, text) = theme.colours();
            let rule = format!(
                ".infographic--{} {{ --ig-bg: {background}; --ig-accent: {accent}; --ig-on-accent: {on_accent}; --ig-text: {text}; }}",
                theme.as_str()
            );
            assert!(css.contains(&rule), "missing in style/main.css: {rule}");
            let swatch = format!(".swatch--{} {{ background: {accent}; }}", theme.as_str());
            assert!(css.contains(&swatch), "missing in style/main.css: {swatch}");
        }
    }
}
