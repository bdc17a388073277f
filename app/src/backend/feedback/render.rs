//! Draws the feedback infographic ("wat er met jullie advies is gedaan") as a standalone
//! SVG 1.1 poster, 1200 units wide, and rasterises it to PNG on the server.
//!
//! Text is laid out here, not by the viewer: every line is its own `<text>` element,
//! wrapped by measuring it with the bundled DejaVu Sans fonts (the same bytes resvg draws
//! with), so a line never runs past the margins. The PNG renderer uses only those bundled
//! fonts, never the system's, so the server draws the same poster everywhere.

use crate::i18n::Locale;
use crate::model::{
    ColourTheme, Infographic, InfographicItem, Progress, ProgressUpdate, ResponseStatus,
};
use leptos_i18n::{td_string, Locale as _};

use std::fmt::{self, Write as _};
use std::sync::{Arc, LazyLock, OnceLock};

use resvg::{tiny_skia, usvg};

const FONT_REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans.ttf"
));
const FONT_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/assets/fonts/DejaVuSans-Bold.ttf"
));

/// The family name inside both bundled fonts.
const FAMILY: &str = "DejaVu Sans";

/// Width of the poster in SVG user units (and PNG pixels).
pub const WIDTH: f32 = 1200.0;
/// Space left and right of the content.
const MARGIN: f32 = 80.0;
/// Width available to text and cards.
const CONTENT_W: f32 = WIDTH - 2.0 * MARGIN;
/// The PNG renderer refuses anything taller than this (1200 × 20000 × 4 bytes ≈ 96 MB).
pub const MAX_HEIGHT: u32 = 20_000;

/// Cards are white: darker text has more contrast on white than on the tinted page.
const CARD: &str = "#ffffff";

/// The fixed words of the infographic in one language. They come from the locale
/// catalogues (`app/locales/*.json`, `feedback.ig_*`), the same words the page shows.
#[derive(Debug, Clone, Copy)]
pub struct Labels {
    locale: Locale,
    /// "nl" or "en"
    pub lang: &'static str,
    /// e.g. "Wat er met jullie advies is gedaan"
    pub heading: &'static str,
    /// "De vraag"
    pub question: &'static str,
    /// "Wat jullie zeiden"
    pub said: &'static str,
    /// "Wat het meest herkend werd"
    pub top_inputs: &'static str,
    /// "Uitgelicht"
    pub quote: &'static str,
    /// "Wat er mee gedaan is"
    pub done: &'static str,
    /// "Wat dit betekent voor jongeren"
    pub meaning: &'static str,
    /// "In cijfers"
    pub numbers: &'static str,
    /// "jongeren deden mee"
    pub members: &'static str,
    /// "bijeenkomsten"
    pub meetings: &'static str,
    /// "dagen van advies tot antwoord"
    pub days: &'static str,
    /// "Besluit verwacht op"
    pub follow_up: &'static str,
    /// "Update", before the date of the newest update on carrying it out.
    pub update: &'static str,
    /// "Verwacht klaar op"
    pub expected: &'static str,
}

impl Labels {
    pub fn of(locale: Locale) -> Labels {
        Labels {
            locale,
            lang: locale.as_str(),
            heading: td_string!(locale, feedback.ig_heading),
            question: td_string!(locale, feedback.ig_question),
            said: td_string!(locale, feedback.ig_said),
            top_inputs: td_string!(locale, feedback.ig_top_inputs),
            quote: td_string!(locale, feedback.ig_quote),
            done: td_string!(locale, feedback.ig_done),
            meaning: td_string!(locale, feedback.ig_meaning),
            numbers: td_string!(locale, feedback.ig_numbers),
            members: td_string!(locale, feedback.ig_members),
            meetings: td_string!(locale, feedback.ig_meetings),
            days: td_string!(locale, feedback.ig_days),
            follow_up: td_string!(locale, feedback.follow_up_label),
            update: td_string!(locale, feedback.progress_update),
            expected: td_string!(locale, feedback.progress_expected_label),
        }
    }

    /// "Gepland" / "Bezig" / "Uitgevoerd" / "Gestopt".
    pub fn progress(&self, progress: Progress) -> &'static str {
        let locale = self.locale;
        match progress {
            Progress::Planned => td_string!(locale, feedback.progress_planned),
            Progress::InProgress => td_string!(locale, feedback.progress_in_progress),
            Progress::Done => td_string!(locale, feedback.progress_done),
            Progress::Stopped => td_string!(locale, feedback.progress_stopped),
        }
    }

    /// "Update 12-03-2027: Uitgevoerd".
    pub fn update_line(&self, update: &ProgressUpdate) -> String {
        format!(
            "{} {}: {}",
            self.update,
            update.on,
            self.progress(update.state)
        )
    }

    /// "Overgenomen" / "Deels overgenomen" / "Niet overgenomen" / "Nog open".
    pub fn status(&self, status: ResponseStatus) -> &'static str {
        let locale = self.locale;
        match status {
            ResponseStatus::Adopted => td_string!(locale, feedback.status_adopted),
            ResponseStatus::Partly => td_string!(locale, feedback.status_partly),
            ResponseStatus::NotAdopted => td_string!(locale, feedback.status_not_adopted),
            ResponseStatus::StillOpen => td_string!(locale, feedback.status_still_open),
        }
    }

    /// Who asked the question and when ("Gevraagd door gemeente Tilburg op 12-10-2026"):
    /// `feedback.ig_raised`, `ig_asked_by` and `ig_asked_on` of the catalogues, filled in
    /// here because the catalogue macros fill in values only inside a view (a unit test
    /// keeps the two the same).
    pub fn asked(&self, g: &Infographic) -> String {
        let date = &g.asked_on;
        match (self.locale, &g.asked_by, g.unsolicited) {
            (Locale::nl, _, true) => format!("Onderwerp van het panel zelf, {date}"),
            (Locale::nl, Some(by), false) => format!("Gevraagd door gemeente {by} op {date}"),
            (Locale::nl, None, false) => format!("Gevraagd op {date}"),
            (Locale::en, _, true) => format!("Raised by the panel itself, {date}"),
            (Locale::en, Some(by), false) => {
                format!("Asked by the municipality of {by} on {date}")
            }
            (Locale::en, None, false) => format!("Asked on {date}"),
        }
    }
}

pub static NL: LazyLock<Labels> = LazyLock::new(|| Labels::of(Locale::nl));
pub static EN: LazyLock<Labels> = LazyLock::new(|| Labels::of(Locale::en));

/// Why a PNG could not be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RenderError {
    /// The SVG could not be parsed.
    Svg(String),
    /// The picture is empty or taller than [`MAX_HEIGHT`].
    Size { width: u32, height: u32 },
    /// The PNG encoder failed.
    Encode(String),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::Svg(e) => write!(f, "the infographic SVG could not be read: {e}"),
            RenderError::Size { width, height } => write!(
                f,
                "the infographic has an unusable size ({width}×{height}, at most {MAX_HEIGHT} high)"
            ),
            RenderError::Encode(e) => write!(f, "the infographic PNG could not be encoded: {e}"),
        }
    }
}

impl std::error::Error for RenderError {}

// ---------------------------------------------------------------------------------------
// Colours
// ---------------------------------------------------------------------------------------

/// The colours of one poster.
#[derive(Debug, Clone, Copy)]
struct Palette {
    page: &'static str,
    accent: &'static str,
    on_accent: &'static str,
    body: &'static str,
}

fn palette(theme: ColourTheme) -> Palette {
    let (page, accent, on_accent, body) = theme.colours();
    Palette {
        page,
        accent,
        on_accent,
        body,
    }
}

/// How strongly the status pill is tinted with the status colour (over a white card).
const STATUS_TINT: f32 = 0.10;

/// The colour a status is written in (on a white card, beside its icon; never alone).
/// Each has a contrast of at least 4.5:1 on white and on every page background.
fn status_colour(status: ResponseStatus) -> &'static str {
    match status {
        ResponseStatus::Adopted => "#1e6b3a",
        ResponseStatus::Partly => "#8a5300",
        ResponseStatus::NotAdopted => "#b02a1e",
        ResponseStatus::StillOpen => "#4a5363",
    }
}

// ---------------------------------------------------------------------------------------
// Fonts and measuring
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

fn faces() -> &'static (
    Option<ttf_parser::Face<'static>>,
    Option<ttf_parser::Face<'static>>,
) {
    static FACES: OnceLock<(
        Option<ttf_parser::Face<'static>>,
        Option<ttf_parser::Face<'static>>,
    )> = OnceLock::new();
    FACES.get_or_init(|| {
        (
            ttf_parser::Face::parse(FONT_REGULAR, 0).ok(),
            ttf_parser::Face::parse(FONT_BOLD, 0).ok(),
        )
    })
}

fn face(weight: Weight) -> Option<&'static ttf_parser::Face<'static>> {
    let (regular, bold) = faces();
    match weight {
        Weight::Regular => regular.as_ref(),
        Weight::Bold => bold.as_ref().or(regular.as_ref()),
    }
}

/// The advance width of `text` at `size` (kerning ignored). Characters the font lacks are
/// measured as its "missing glyph" box, which is what gets drawn.
fn measure(text: &str, weight: Weight, size: f32) -> f32 {
    let Some(face) = face(weight) else {
        // Cannot happen with the bundled fonts; a generous guess keeps lines inside.
        return text.chars().count() as f32 * size * 0.7;
    };
    let upem = f32::from(face.units_per_em().max(1));
    let units: u32 = text
        .chars()
        .map(|c| {
            let glyph = face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
            u32::from(face.glyph_hor_advance(glyph).unwrap_or(0))
        })
        .sum();
    units as f32 * size / upem
}

// ---------------------------------------------------------------------------------------
// Text cleaning, escaping, wrapping
// ---------------------------------------------------------------------------------------

/// Drops control characters (keeping line breaks as `\n`, tabs as spaces) and the two
/// non-characters XML forbids.
fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars()
        .filter_map(|c| match c {
            '\n' | '\r' | '\u{2028}' | '\u{2029}' => Some('\n'),
            '\t' => Some(' '),
            '\u{fffe}' | '\u{ffff}' => None,
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// Escapes text for use in XML content and attribute values (after [`clean`]).
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in clean(text).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// Spaces a line may break at (no-break spaces excluded).
fn is_break(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{a0}' | '\u{2007}' | '\u{202f}')
}

/// Wraps `text` into paragraphs (split at line breaks, blank ones dropped) of lines no
/// wider than `max_w`. Breaks at spaces; a word wider than a line is broken between
/// characters.
fn wrap(text: &str, weight: Weight, size: f32, max_w: f32) -> Vec<Vec<String>> {
    let space = measure(" ", weight, size);
    let mut paragraphs = Vec::new();
    for para in clean(text).split('\n') {
        let mut lines: Vec<String> = Vec::new();
        let mut line = String::new();
        let mut line_w = 0.0;
        for word in para.split(is_break).filter(|w| !w.is_empty()) {
            let word_w = measure(word, weight, size);
            if !line.is_empty() && line_w + space + word_w <= max_w {
                line.push(' ');
                line.push_str(word);
                line_w += space + word_w;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if word_w <= max_w {
                line = word.to_string();
                line_w = word_w;
                continue;
            }
            // Too long for any line: break it hard, at least one character per line.
            line_w = 0.0;
            for c in word.chars() {
                let mut buf = [0u8; 4];
                let c_w = measure(c.encode_utf8(&mut buf), weight, size);
                if !line.is_empty() && line_w + c_w > max_w {
                    lines.push(std::mem::take(&mut line));
                    line_w = 0.0;
                }
                line.push(c);
                line_w += c_w;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
        if !lines.is_empty() {
            paragraphs.push(lines);
        }
    }
    paragraphs
}

/// Formats a coordinate without needless decimals.
fn n(v: f32) -> String {
    let r = (v * 10.0).round() / 10.0;
    if r.fract() == 0.0 {
        format!("{}", r as i64)
    } else {
        format!("{r:.1}")
    }
}

/// `1234567` → `1.234.567` (nl) or `1,234,567` (en).
fn group_digits(value: i64, lang: &str) -> String {
    let sep = if lang == "nl" { '.' } else { ',' };
    let digits = value.unsigned_abs().to_string();
    let mut out = String::new();
    if value < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// Strips quotation marks the author may already have typed around a quote.
fn unquote(text: &str) -> &str {
    const MARKS: &[char] = &['"', '\'', '“', '”', '„', '‘', '’', '‚', '«', '»', '‹', '›'];
    text.trim().trim_matches(MARKS).trim()
}

// ---------------------------------------------------------------------------------------
// Drawing
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Anchor {
    Start,
    Middle,
}

/// How a block of text is set.
#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    weight: Weight,
    fill: &'static str,
    /// Distance between baselines.
    line_h: f32,
    anchor: Anchor,
}

impl Style {
    fn new(size: f32, weight: Weight, fill: &'static str) -> Self {
        Style {
            size,
            weight,
            fill,
            line_h: (size * 1.42).round(),
            anchor: Anchor::Start,
        }
    }

    fn centred(mut self) -> Self {
        self.anchor = Anchor::Middle;
        self
    }
}

/// Text sizes.
const BODY: f32 = 24.0;
const SECTION: f32 = 34.0;

/// Writes one line of text with its baseline at `y`.
fn text_line(out: &mut String, x: f32, y: f32, line: &str, style: &Style) {
    let weight = match style.weight {
        Weight::Bold => " font-weight=\"bold\"",
        Weight::Regular => "",
    };
    let anchor = match style.anchor {
        Anchor::Middle => " text-anchor=\"middle\"",
        Anchor::Start => "",
    };
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{}\" font-size=\"{}\"{weight}{anchor} fill=\"{}\">{}</text>",
        n(x),
        n(y),
        n(style.size),
        style.fill,
        esc(line)
    );
}

/// Writes `text` wrapped to `max_w`, its first line box starting at `top`; returns the
/// height used. `x` is the left edge, or the centre for centred text.
fn text_block(out: &mut String, x: f32, top: f32, max_w: f32, text: &str, style: &Style) -> f32 {
    let paragraphs = wrap(text, style.weight, style.size, max_w);
    // Baseline within a line box: centres DejaVu's capitals and descenders in it.
    let baseline = style.line_h / 2.0 + style.size * 0.36;
    let gap = (style.line_h * 0.5).round();
    let mut y = top;
    for (i, lines) in paragraphs.iter().enumerate() {
        if i > 0 {
            y += gap;
        }
        for line in lines {
            text_line(out, x, y + baseline, line, style);
            y += style.line_h;
        }
    }
    y - top
}

fn rect(out: &mut String, (x, y, w, h): (f32, f32, f32, f32), rx: f32, fill: &str, extra: &str) {
    let _ = writeln!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{}\" fill=\"{fill}\"{extra}/>",
        n(x),
        n(y),
        n(w),
        n(h),
        n(rx)
    );
}

/// A white card with a faint border.
fn card(out: &mut String, x: f32, y: f32, w: f32, h: f32) {
    rect(
        out,
        (x, y, w, h),
        18.0,
        CARD,
        " stroke=\"#000000\" stroke-opacity=\"0.10\" stroke-width=\"1.5\"",
    );
}

/// A section heading in the accent colour with a short bar under it; returns its height.
fn section_heading(out: &mut String, top: f32, text: &str, p: &Palette) -> f32 {
    let style = Style::new(SECTION, Weight::Bold, p.accent);
    let h = text_block(out, MARGIN, top, CONTENT_W, text, &style);
    rect(out, (MARGIN, top + h + 6.0, 72.0, 6.0), 3.0, p.accent, "");
    h + 6.0 + 6.0 + 22.0
}

/// Space above every section heading.
const SECTION_GAP: f32 = 60.0;

/// "✓ Overgenomen" on a light pill of the status colour; returns the height used.
fn status_pill(body: &mut String, x: f32, y: f32, item: &InfographicItem, labels: &Labels) -> f32 {
    let colour = status_colour(item.status);
    let status = format!("{} {}", item.status.icon(), labels.status(item.status));
    let status_style = Style::new(24.0, Weight::Bold, colour);
    let pill_h = 44.0;
    let pill_w = measure(&status, Weight::Bold, 24.0) + 36.0;
    rect(
        body,
        (x, y, pill_w, pill_h),
        pill_h / 2.0,
        colour,
        &format!(" fill-opacity=\"{STATUS_TINT}\""),
    );
    text_line(
        body,
        x + 18.0,
        y + pill_h / 2.0 + 24.0 * 0.36,
        &status,
        &status_style,
    );
    pill_h + 16.0
}

/// One recommendation with its answer as a card; returns the card's height.
fn item_card(
    out: &mut String,
    top: f32,
    index: usize,
    item: &InfographicItem,
    labels: &Labels,
    p: &Palette,
) -> f32 {
    const STRIPE: f32 = 12.0;
    const PAD: f32 = 32.0;
    let colour = status_colour(item.status);
    let inner_x = MARGIN + STRIPE + PAD;
    let inner_w = CONTENT_W - STRIPE - 2.0 * PAD;

    let mut body = String::new();
    let mut y = top + 28.0;

    y += status_pill(&mut body, inner_x, y, item, labels);

    // The number in an accent badge, the recommendation beside it.
    let number = item.position.to_string();
    let badge_style = Style::new(24.0, Weight::Bold, p.on_accent).centred();
    let badge_h = 44.0;
    let badge_w = (measure(&number, Weight::Bold, 24.0) + 24.0).max(badge_h);
    let rec_style = Style::new(27.0, Weight::Bold, p.body);
    rect(
        &mut body,
        (
            inner_x,
            y + (rec_style.line_h - badge_h) / 2.0,
            badge_w,
            badge_h,
        ),
        badge_h / 2.0,
        p.accent,
        "",
    );
    text_line(
        &mut body,
        inner_x + badge_w / 2.0,
        y + rec_style.line_h / 2.0 + 24.0 * 0.36,
        &number,
        &badge_style,
    );
    let text_x = inner_x + badge_w + 18.0;
    let text_w = inner_w - badge_w - 18.0;
    y += text_block(
        &mut body,
        text_x,
        y,
        text_w,
        &item.recommendation,
        &rec_style,
    )
    .max(badge_h);

    if !item.explanation.trim().is_empty() {
        y += 12.0;
        y += text_block(
            &mut body,
            text_x,
            y,
            text_w,
            &item.explanation,
            &Style::new(BODY, Weight::Regular, p.body),
        );
    }

    if item.status == ResponseStatus::StillOpen {
        if let Some(date) = item.follow_up.as_deref().filter(|d| !d.trim().is_empty()) {
            y += 12.0;
            y += text_block(
                &mut body,
                text_x,
                y,
                text_w,
                &format!("{} {}", labels.follow_up, date.trim()),
                &Style::new(BODY, Weight::Bold, colour),
            );
        }
    }

    if let Some(update) = &item.progress {
        y += update_lines(&mut body, (text_x, y, text_w), update, labels, p);
    }

    let h = y + 30.0 - top;
    card(out, MARGIN, top, CONTENT_W, h);
    // The status colour as a stripe along the left edge, clipped to the card's corners.
    let _ = writeln!(
        out,
        "<clipPath id=\"ig-card-{index}\"><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"18\"/></clipPath>",
        n(MARGIN),
        n(top),
        n(CONTENT_W),
        n(h)
    );
    rect(
        out,
        (MARGIN, top, STRIPE, h),
        0.0,
        colour,
        &format!(" clip-path=\"url(#ig-card-{index})\""),
    );
    out.push_str(&body);
    h
}

/// The newest update on carrying out a recommendation, under its answer: the dated state
/// in the accent colour, then the note and the expected day. Returns the height used.
fn update_lines(
    body: &mut String,
    (x, top, w): (f32, f32, f32),
    update: &ProgressUpdate,
    labels: &Labels,
    p: &Palette,
) -> f32 {
    let mut y = top + 16.0;
    y += text_block(
        body,
        x,
        y,
        w,
        &labels.update_line(update),
        &Style::new(BODY, Weight::Bold, p.accent),
    );
    let mut rest = update.note.trim().to_string();
    if let Some(date) = &update.expected {
        rest = format!("{rest}\n{} {date}", labels.expected);
    }
    if !rest.trim().is_empty() {
        y += 4.0;
        y += text_block(
            body,
            x,
            y,
            w,
            rest.trim(),
            &Style::new(BODY, Weight::Regular, p.body),
        );
    }
    y - top
}

/// The three key numbers side by side; returns the height used.
fn key_numbers(out: &mut String, top: f32, g: &Infographic, labels: &Labels, p: &Palette) -> f32 {
    const GAP: f32 = 24.0;
    const PAD: f32 = 24.0;
    let w = (CONTENT_W - 2.0 * GAP) / 3.0;
    let days = g
        .days
        .map_or_else(|| "–".to_string(), |d| group_digits(d, labels.lang));
    let figures = [
        (group_digits(g.members, labels.lang), labels.members),
        (group_digits(g.meetings, labels.lang), labels.meetings),
        (days, labels.days),
    ];
    let label_style = Style::new(BODY, Weight::Regular, p.body).centred();
    // Big, and the same size in all three cards unless a figure is very long; never
    // wider than its card.
    let fit = |figure: &str| 72.0 * (w - 2.0 * PAD) / measure(figure, Weight::Bold, 72.0).max(1.0);
    let common = figures
        .iter()
        .map(|(figure, _)| fit(figure))
        .fold(72.0_f32, f32::min)
        .max(40.0);
    let mut blocks = Vec::new();
    let mut height: f32 = 0.0;
    for (i, (figure, label)) in figures.iter().enumerate() {
        let x = MARGIN + i as f32 * (w + GAP);
        let centre = x + w / 2.0;
        let size = fit(figure).min(common).max(BODY);
        let figure_style = Style {
            line_h: (size * 1.2).round(),
            ..Style::new(size, Weight::Bold, p.accent).centred()
        };
        let mut block = String::new();
        let mut y = 0.0;
        y += text_block(&mut block, centre, y, w - 2.0 * PAD, figure, &figure_style);
        y += 4.0;
        y += text_block(&mut block, centre, y, w - 2.0 * PAD, label, &label_style);
        height = height.max(y + 2.0 * PAD);
        blocks.push((x, block));
    }
    for (x, block) in blocks {
        card(out, x, top, w, height);
        // Top-aligned, so the figures share a baseline.
        let _ = writeln!(
            out,
            "<g transform=\"translate(0 {})\">\n{block}</g>",
            n(top + PAD)
        );
    }
    height
}

/// The plain-text version of the poster, for `<desc>`.
fn description(g: &Infographic, labels: &Labels) -> String {
    let mut d = String::new();
    let _ = writeln!(
        d,
        "{}. {}: {}.",
        labels.heading,
        g.panel_name.trim(),
        g.title.trim()
    );
    if !g.question.trim().is_empty() {
        let _ = writeln!(d, "{}: {}", labels.question, g.question.trim());
    }
    if !g.asked_on.is_empty() {
        let _ = writeln!(d, "{}.", labels.asked(g));
    }
    if !g.said.trim().is_empty() {
        let _ = writeln!(d, "{}: {}", labels.said, g.said.trim());
    }
    let inputs: Vec<&str> = g
        .top_inputs
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if !inputs.is_empty() {
        let _ = writeln!(d, "{}: {}.", labels.top_inputs, inputs.join("; "));
    }
    if let Some(quote) = g.quote.as_deref().map(unquote).filter(|q| !q.is_empty()) {
        let (open, close) = quote_marks(labels.lang);
        let _ = writeln!(d, "{}: {open}{quote}{close}", labels.quote);
    }
    if !g.items.is_empty() {
        let _ = writeln!(d, "{}:", labels.done);
        for item in &g.items {
            let _ = write!(
                d,
                "{}. {} – {}.",
                item.position,
                item.recommendation.trim(),
                labels.status(item.status)
            );
            if !item.explanation.trim().is_empty() {
                let _ = write!(d, " {}", item.explanation.trim());
            }
            if item.status == ResponseStatus::StillOpen {
                if let Some(date) = item.follow_up.as_deref().filter(|s| !s.trim().is_empty()) {
                    let _ = write!(d, " {} {}.", labels.follow_up, date.trim());
                }
            }
            if let Some(update) = &item.progress {
                let _ = write!(d, " {}. {}", labels.update_line(update), update.note.trim());
                if let Some(date) = &update.expected {
                    let _ = write!(d, " {} {date}.", labels.expected);
                }
            }
            d.push('\n');
        }
    }
    if !g.meaning.trim().is_empty() {
        let _ = writeln!(d, "{}: {}", labels.meaning, g.meaning.trim());
    }
    let days = g
        .days
        .map_or_else(|| "–".to_string(), |v| group_digits(v, labels.lang));
    let _ = write!(
        d,
        "{}: {} {}, {} {}, {} {}.",
        labels.numbers,
        group_digits(g.members, labels.lang),
        labels.members,
        group_digits(g.meetings, labels.lang),
        labels.meetings,
        days,
        labels.days
    );
    let footer = footer(g);
    if !footer.is_empty() {
        let _ = write!(d, "\n{footer}");
    }
    d
}

/// Panel name and publication date, as in the footer.
fn footer(g: &Infographic) -> String {
    let mut footer = g.panel_name.trim().to_string();
    if let Some(date) = g.published.as_deref().filter(|s| !s.trim().is_empty()) {
        if !footer.is_empty() {
            footer.push_str("  ·  ");
        }
        footer.push_str(date.trim());
    }
    footer
}

fn quote_marks(lang: &str) -> (&'static str, &'static str) {
    if lang == "nl" {
        ("„", "”")
    } else {
        ("“", "”")
    }
}

/// The infographic as a standalone SVG 1.1 document, 1200 wide and as high as its text.
pub fn svg(g: &Infographic, labels: &Labels) -> String {
    let p = palette(g.theme);
    let mut body = String::new();

    let body_style = Style::new(BODY, Weight::Regular, p.body);
    let mut y = band(&mut body, g, labels, &p);
    y = question_section(&mut body, y, g, labels, &p);
    y = said_section(&mut body, y, g, labels, &p);
    y = quote_section(&mut body, y, g, labels, &p);

    // Wat er mee gedaan is
    if !g.items.is_empty() {
        y += SECTION_GAP;
        y += section_heading(&mut body, y, labels.done, &p);
        for (i, item) in g.items.iter().enumerate() {
            if i > 0 {
                y += 24.0;
            }
            y += item_card(&mut body, y, i, item, labels, &p);
        }
    }

    // Wat dit betekent voor jongeren
    if !g.meaning.trim().is_empty() {
        y += SECTION_GAP;
        y += section_heading(&mut body, y, labels.meaning, &p);
        y += text_block(&mut body, MARGIN, y, CONTENT_W, &g.meaning, &body_style);
    }

    // In cijfers
    y += SECTION_GAP;
    y += section_heading(&mut body, y, labels.numbers, &p);
    y += key_numbers(&mut body, y, g, labels, &p);

    // Footer: panel name and the publication date.
    y += 56.0;
    rect(&mut body, (MARGIN, y, CONTENT_W, 2.0), 0.0, p.accent, "");
    y += 20.0;
    let footer = footer(g);
    y += text_block(
        &mut body,
        MARGIN,
        y,
        CONTENT_W,
        &footer,
        &Style::new(22.0, Weight::Regular, p.body),
    );
    y += 56.0;

    document(&body, y, g, labels, &p)
}

/// The band at the top (panel name, heading, title) with its decoration; returns where
/// the band ends.
fn band(body: &mut String, g: &Infographic, labels: &Labels, p: &Palette) -> f32 {
    let mut band = String::new();
    let mut y = 64.0;
    y += text_block(
        &mut band,
        MARGIN,
        y,
        CONTENT_W,
        &g.panel_name,
        &Style::new(24.0, Weight::Bold, p.on_accent),
    );
    y += 14.0;
    y += text_block(
        &mut band,
        MARGIN,
        y,
        CONTENT_W,
        labels.heading,
        &Style::new(52.0, Weight::Bold, p.on_accent),
    );
    if !g.title.trim().is_empty() {
        y += 14.0;
        y += text_block(
            &mut band,
            MARGIN,
            y,
            CONTENT_W,
            &g.title,
            &Style::new(32.0, Weight::Regular, p.on_accent),
        );
    }
    y += 60.0;
    rect(body, (0.0, 0.0, WIDTH, y), 0.0, p.accent, "");
    // Decoration, kept inside the band: darker circles only raise the contrast of the
    // light text over them.
    let _ = writeln!(
        body,
        "<clipPath id=\"ig-band\"><rect width=\"{}\" height=\"{}\"/></clipPath>\n<g clip-path=\"url(#ig-band)\" fill=\"#000000\" fill-opacity=\"0.10\"><circle cx=\"1140\" cy=\"20\" r=\"180\"/><circle cx=\"1210\" cy=\"{}\" r=\"110\"/></g>",
        n(WIDTH),
        n(y),
        n(y)
    );
    body.push_str(&band);

    y
}

/// "De vraag": the question and when it was asked; returns where it ends.
fn question_section(
    body: &mut String,
    mut y: f32,
    g: &Infographic,
    labels: &Labels,
    p: &Palette,
) -> f32 {
    if !g.question.trim().is_empty() {
        y += SECTION_GAP;
        y += section_heading(body, y, labels.question, p);
        y += text_block(
            body,
            MARGIN,
            y,
            CONTENT_W,
            &g.question,
            &Style::new(30.0, Weight::Bold, p.body),
        );
        if !g.asked_on.is_empty() {
            y += 12.0;
            y += text_block(
                body,
                MARGIN,
                y,
                CONTENT_W,
                &labels.asked(g),
                &Style::new(BODY, Weight::Regular, p.body),
            );
        }
    }

    y
}

/// "Wat jullie zeiden": what the panel said and its strongest inputs; returns where it
/// ends.
fn said_section(
    body: &mut String,
    mut y: f32,
    g: &Infographic,
    labels: &Labels,
    p: &Palette,
) -> f32 {
    let body_style = Style::new(BODY, Weight::Regular, p.body);
    let inputs: Vec<&String> = g
        .top_inputs
        .iter()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if !g.said.trim().is_empty() || !inputs.is_empty() {
        y += SECTION_GAP;
        y += section_heading(body, y, labels.said, p);
        if !g.said.trim().is_empty() {
            y += text_block(body, MARGIN, y, CONTENT_W, &g.said, &body_style);
        }
        if !inputs.is_empty() {
            if !g.said.trim().is_empty() {
                y += 30.0;
            }
            y += text_block(
                body,
                MARGIN,
                y,
                CONTENT_W,
                labels.top_inputs,
                &Style::new(26.0, Weight::Bold, p.body),
            );
            y += 10.0;
            const INDENT: f32 = 34.0;
            for (i, input) in inputs.iter().enumerate() {
                if i > 0 {
                    y += 12.0;
                }
                let _ = writeln!(
                    body,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"7\" fill=\"{}\"/>",
                    n(MARGIN + 9.0),
                    n(y + body_style.line_h / 2.0),
                    p.accent
                );
                y += text_block(
                    body,
                    MARGIN + INDENT,
                    y,
                    CONTENT_W - INDENT,
                    input,
                    &body_style,
                );
            }
        }
    }

    y
}

/// "Uitgelicht": the quoted input, if any; returns where it ends.
fn quote_section(
    body: &mut String,
    mut y: f32,
    g: &Infographic,
    labels: &Labels,
    p: &Palette,
) -> f32 {
    if let Some(quote) = g.quote.as_deref().map(unquote).filter(|q| !q.is_empty()) {
        y += SECTION_GAP;
        y += section_heading(body, y, labels.quote, p);
        let (open, close) = quote_marks(labels.lang);
        let text = format!("{open}{quote}{close}");
        let bar = 10.0;
        let indent = bar + 28.0;
        let top = y + 4.0;
        let h = text_block(
            body,
            MARGIN + indent,
            top,
            CONTENT_W - indent,
            &text,
            &Style::new(32.0, Weight::Regular, p.body),
        );
        rect(body, (MARGIN, top, bar, h), bar / 2.0, p.accent, "");
        y = top + h;
    }

    y
}

/// The SVG document around the drawn body, `y` high, with its title and description.
fn document(body: &str, y: f32, g: &Infographic, labels: &Labels, p: &Palette) -> String {
    let height = y.ceil() as i64;
    let title = if g.title.trim().is_empty() {
        labels.heading.to_string()
    } else {
        format!("{}: {}", labels.heading, g.title.trim())
    };
    let mut out = String::with_capacity(body.len() + 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{height}\" viewBox=\"0 0 {w} {height}\" role=\"img\" aria-labelledby=\"ig-title ig-desc\" xml:lang=\"{lang}\" font-family=\"'{FAMILY}', sans-serif\">",
        w = n(WIDTH),
        lang = esc(labels.lang),
    );
    let _ = writeln!(out, "<title id=\"ig-title\">{}</title>", esc(&title));
    let _ = writeln!(
        out,
        "<desc id=\"ig-desc\">{}</desc>",
        esc(&description(g, labels))
    );
    rect(&mut out, (0.0, 0.0, WIDTH, height as f32), 0.0, p.page, "");
    out.push_str(body);
    out.push_str("</svg>\n");
    out
}

/// The bundled fonts, loaded once.
fn font_db() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(FONT_REGULAR)));
        db.load_font_source(usvg::fontdb::Source::Binary(Arc::new(FONT_BOLD)));
        db.set_sans_serif_family(FAMILY);
        db.set_serif_family(FAMILY);
        db.set_monospace_family(FAMILY);
        db.set_cursive_family(FAMILY);
        db.set_fantasy_family(FAMILY);
        Arc::new(db)
    })
    .clone()
}

/// Rasterises an SVG made by [`svg`] at scale 1 (1200 px wide), with the bundled fonts
/// only. External images are never loaded.
pub fn png(svg: &str) -> Result<Vec<u8>, RenderError> {
    let options = usvg::Options {
        font_family: FAMILY.to_string(),
        fontdb: font_db(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: Box::new(|_, _, _| None),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| RenderError::Svg(e.to_string()))?;
    let size = tree.size();
    let width = size.width().ceil() as u32;
    let height = size.height().ceil() as u32;
    if width == 0 || height == 0 || height > MAX_HEIGHT || width > MAX_HEIGHT {
        return Err(RenderError::Size { width, height });
    }
    let mut pixmap =
        tiny_skia::Pixmap::new(width, height).ok_or(RenderError::Size { width, height })?;
    resvg::render(
        &tree,
        tiny_skia::Transform::identity(),
        &mut pixmap.as_mut(),
    );
    encode(&pixmap)
}

/// Encodes with adaptive row filters, which makes posters about 3.5 times smaller than
/// `Pixmap::encode_png`; drops the alpha channel when the picture is fully opaque (ours is).
fn encode(pixmap: &tiny_skia::Pixmap) -> Result<Vec<u8>, RenderError> {
    let pixels = pixmap.pixels();
    let opaque = pixels.iter().all(|p| p.alpha() == u8::MAX);
    let (colour, data): (png::ColorType, Vec<u8>) = if opaque {
        let data = pixels
            .iter()
            .flat_map(|p| [p.red(), p.green(), p.blue()])
            .collect();
        (png::ColorType::Rgb, data)
    } else {
        let data = pixels
            .iter()
            .flat_map(|p| {
                let c = p.demultiply();
                [c.red(), c.green(), c.blue(), c.alpha()]
            })
            .collect();
        (png::ColorType::Rgba, data)
    };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(colour);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Default);
    encoder.set_adaptive_filter(png::AdaptiveFilterType::Adaptive);
    let encode_err = |e: png::EncodingError| RenderError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(encode_err)?;
    writer.write_image_data(&data).map_err(encode_err)?;
    writer.finish().map_err(encode_err)?;
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn sample() -> Infographic {
        Infographic {
            question_id: 7,
            panel_name: "Jongerenpanel Zwolle".to_string(),
            panel_slug: "zwolle".to_string(),
            title: "Een veilige fietsroute naar school".to_string(),
            asked_by: Some("Zwolle".to_string()),
            unsolicited: false,
            asked_on: "02-09-2026".to_string(),
            question: "Hoe maken we de fietsroute van de wijk Stadshagen naar de middelbare scholen in het centrum veiliger, vooral in de donkere maanden?".to_string(),
            said: "Jullie fietsen elke dag over de Hasselterweg en vinden vooral de kruising bij het spoor gevaarlijk. Het is er 's ochtends druk, auto's rijden te hard en in de winter is het pikdonker op het fietspad langs het park.\nJullie vroegen om betere verlichting, een slimmere verkeerslichtregeling en om echt mee te mogen kijken naar het ontwerp.".to_string(),
            top_inputs: vec![
                "Meer en fellere lantaarnpalen langs het fietspad door het Westerveldpark".to_string(),
                "Fietsers eerder groen geven bij de spoorkruising als het regent".to_string(),
                "Jongeren laten meebeslissen over het nieuwe ontwerp van de kruising".to_string(),
            ],
            quote: Some("Als ik in december om half acht naar school fiets, zie ik gewoon niks. Dan voel ik me echt niet veilig.".to_string()),
            items: vec![
                InfographicItem {
                    position: 1,
                    recommendation: "Zet extra verlichting langs het fietspad door het Westerveldpark.".to_string(),
                    status: ResponseStatus::Adopted,
                    explanation: "Er komen twaalf nieuwe ledlampen met bewegingssensor. Ze worden vóór de herfstvakantie van 2027 geplaatst.".to_string(),
                    follow_up: None,
                    progress: Some(ProgressUpdate {
                        state: Progress::InProgress,
                        note: "De palen staan er; de lampen komen in september.".to_string(),
                        expected: Some("01-10-2027".to_string()),
                        on: "15-06-2027".to_string(),
                        on_behalf: false,
                    }),
                },
                InfographicItem {
                    position: 2,
                    recommendation: "Geef fietsers eerder en langer groen bij de spoorkruising.".to_string(),
                    status: ResponseStatus::Partly,
                    explanation: "Fietsers krijgen in de spits tien seconden langer groen. Eerder groen bij regen kan technisch nog niet; we testen dat in 2028 opnieuw.".to_string(),
                    follow_up: None,
                    progress: None,
                },
                InfographicItem {
                    position: 3,
                    recommendation: "Verlaag de maximumsnelheid op de Hasselterweg naar 30 km per uur.".to_string(),
                    status: ResponseStatus::NotAdopted,
                    explanation: "De Hasselterweg is een doorgaande weg voor bussen en hulpdiensten. Wel komen er twee extra flitspalen.".to_string(),
                    follow_up: None,
                    progress: None,
                },
                InfographicItem {
                    position: 4,
                    recommendation: "Laat jongeren meekijken naar het ontwerp van de nieuwe kruising.".to_string(),
                    status: ResponseStatus::StillOpen,
                    explanation: "De gemeenteraad besluit eerst over het budget voor de kruising.".to_string(),
                    follow_up: Some("12-01-2027".to_string()),
                    progress: None,
                },
            ],
            meaning: "Vanaf de herfst fiets je door een verlicht park en heb je in de spits meer tijd om over te steken. Over het ontwerp van de kruising hoor je in januari meer: het panel wordt dan opnieuw gevraagd.".to_string(),
            members: 23,
            meetings: 3,
            days: Some(41),
            theme: ColourTheme::Ocean,
            published: Some("29-11-2026".to_string()),
        }
    }

    fn long_sample() -> Infographic {
        let long = "Dit is een heel lang stuk tekst met veel woorden dat over meerdere regels moet lopen, zodat we kunnen zien dat het netjes wordt afgebroken. ".repeat(6);
        let mut g = sample();
        g.title = format!(
            "{} {}",
            g.title, "en nog veel meer woorden die de titel erg lang maken"
        );
        g.panel_name = "Jongerenadviesraad van de gemeente Súdwest-Fryslân".to_string();
        g.said = format!("{long}\n\n{long}");
        g.quote = Some(long.clone());
        g.top_inputs.push(long.clone());
        g.items[0].recommendation = long.clone();
        g.items[1].explanation = format!(
            "Eenwoordzonderspatiesdatveelstelangisvooréénregel{}",
            "x".repeat(120)
        );
        g.meaning = long;
        g.members = 1_234_567;
        g.meetings = i64::MAX;
        g.days = None;
        g.theme = ColourTheme::Berry;
        g
    }

    fn hostile() -> Infographic {
        let mut g = sample();
        g.title = "<script>alert(\"x\")</script> & 'quotes'\u{7}".to_string();
        g.question = "Is 3 < 4 && 5 > 2?".to_string();
        g.quote = Some("Zeg \"nee\" tegen <b>vet</b>".to_string());
        g.items[0].recommendation = "</text><script>bad()</script>".to_string();
        g
    }

    fn svg_height(doc: &roxmltree::Document) -> f64 {
        doc.root_element()
            .attribute("height")
            .unwrap()
            .parse()
            .unwrap()
    }

    fn texts(doc: &roxmltree::Document) -> Vec<String> {
        doc.descendants()
            .filter(|n| n.has_tag_name("text"))
            .map(|n| n.text().unwrap_or_default().to_string())
            .collect()
    }

    fn hex(colour: &str) -> [u8; 3] {
        let c = colour.trim_start_matches('#');
        let p = |i: usize| u8::from_str_radix(&c[i..i + 2], 16).unwrap();
        [p(0), p(2), p(4)]
    }

    fn luminance(colour: &str) -> f64 {
        let lin = |v: u8| {
            let c = f64::from(v) / 255.0;
            if c <= 0.040_45 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = hex(colour);
        0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
    }

    /// `fg` drawn with `opacity` over `bg`, as a colour.
    fn tint(fg: &str, bg: &str, opacity: f32) -> String {
        let (f, b) = (hex(fg), hex(bg));
        let mix = |i: usize| {
            (f32::from(f[i]) * opacity + f32::from(b[i]) * (1.0 - opacity)).round() as u8
        };
        format!("#{:02x}{:02x}{:02x}", mix(0), mix(1), mix(2))
    }

    fn contrast(a: &str, b: &str) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

    #[test]
    fn svg_is_valid_and_escapes_user_text() {
        let svg = svg(&hostile(), &NL);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let root = doc.root_element();
        assert!(root.has_tag_name(("http://www.w3.org/2000/svg", "svg")));
        assert_eq!(root.attribute("width"), Some("1200"));
        assert!(svg_height(&doc) > 1000.0);
        assert_eq!(root.attribute("role"), Some("img"));
        assert_eq!(
            root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")),
            Some("nl")
        );
        let title = doc.descendants().find(|n| n.has_tag_name("title")).unwrap();
        assert_eq!(
            title.text(),
            Some("Wat er met jullie advies is gedaan: <script>alert(\"x\")</script> & 'quotes'")
        );
        let desc = doc.descendants().find(|n| n.has_tag_name("desc")).unwrap();
        assert!(desc.text().unwrap().contains("Is 3 < 4 && 5 > 2?"));
        assert!(desc.text().unwrap().contains("Overgenomen"));
        assert!(doc
            .descendants()
            .all(|n| !n.has_tag_name("script") && !n.has_tag_name("b")));
        assert!(!svg.contains("<script") && !svg.contains('\u{7}'));
        assert!(svg.contains(
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos;"
        ));
        let texts = texts(&doc).join("\n");
        assert!(texts.contains("&"), "{texts}");
        assert!(texts.contains("</text><script>bad()</script>"), "{texts}");
        assert!(texts.contains("„Zeg \"nee\" tegen <b>vet</b>”"), "{texts}");
        assert!(texts.contains("✓ Overgenomen"));
        assert!(texts.contains("Besluit verwacht op 12-01-2027"));
        // User text is drawn as text, in the bundled family.
        assert!(root
            .attribute("font-family")
            .unwrap()
            .starts_with("'DejaVu Sans'"));
    }

    #[test]
    fn who_asked_reads_as_the_catalogue_says() {
        for (labels, lang) in [(&*NL, "nl"), (&*EN, "en")] {
            let path = format!("{}/locales/{lang}.json", env!("CARGO_MANIFEST_DIR"));
            let catalogue: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
            let said = |key: &str| {
                catalogue["feedback"][key]
                    .as_str()
                    .unwrap()
                    .replace("{{ by }}", "Tilburg")
                    .replace("{{ date }}", "12-10-2026")
            };
            let mut g = sample();
            g.asked_on = "12-10-2026".into();
            g.unsolicited = true;
            assert_eq!(labels.asked(&g), said("ig_raised"));
            g.unsolicited = false;
            g.asked_by = Some("Tilburg".into());
            assert_eq!(labels.asked(&g), said("ig_asked_by"));
            g.asked_by = None;
            assert_eq!(labels.asked(&g), said("ig_asked_on"));
            assert_eq!(
                labels.said,
                catalogue["feedback"]["ig_said"].as_str().unwrap()
            );
        }
    }

    #[test]
    fn english_labels() {
        let doc_text = svg(&sample(), &EN);
        let doc = roxmltree::Document::parse(&doc_text).unwrap();
        let texts = texts(&doc).join("\n");
        assert!(texts.contains("What was done with your advice"));
        assert!(texts.contains("Partly adopted"));
        assert!(texts.contains("“Als ik"));
    }

    #[test]
    fn empty_sections_are_left_out() {
        let mut g = sample();
        g.said = "  ".to_string();
        g.top_inputs = vec![String::new()];
        g.quote = Some("\"\"".to_string());
        g.meaning = String::new();
        let svg = svg(&g, &NL);
        let doc = roxmltree::Document::parse(&svg).unwrap();
        let texts = texts(&doc);
        for label in [NL.said, NL.top_inputs, NL.quote, NL.meaning] {
            assert!(
                !texts.iter().any(|t| t == label),
                "{label} should be left out"
            );
        }
        for label in [NL.question, NL.done, NL.numbers] {
            assert!(texts.iter().any(|t| t == label), "{label} should be there");
        }
        // The full sample is taller.
        let full = svg_height(&roxmltree::Document::parse(&super::svg(&sample(), &NL)).unwrap());
        assert!(svg_height(&doc) < full);
    }

    #[test]
    fn png_has_the_svg_size_and_the_accent_colour() {
        for theme in ColourTheme::ALL {
            let mut g = sample();
            g.theme = theme;
            let svg = svg(&g, &NL);
            let height = svg_height(&roxmltree::Document::parse(&svg).unwrap());
            let bytes = png(&svg).unwrap();
            let decoder = png::Decoder::new(std::io::Cursor::new(bytes));
            let mut reader = decoder.read_info().unwrap();
            let mut buf = vec![0; reader.output_buffer_size()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert_eq!(info.width, 1200);
            assert_eq!(f64::from(info.height), height.ceil());
            assert_eq!(info.color_type, png::ColorType::Rgb);
            let accent = hex(palette(theme).accent);
            let accent_pixels = buf[..info.buffer_size()]
                .chunks_exact(3)
                .filter(|px| px[..] == accent)
                .count();
            assert!(accent_pixels > 50_000, "{theme:?}: {accent_pixels}");
        }
    }

    #[test]
    fn wrapping_stays_within_the_width() {
        let text = "Dit is een lange zin die echt niet op één regel past, ook niet op een poster van twaalfhonderd breed. ".repeat(8);
        let text = format!("{text}\nEen tweede alinea.\n\n{}", "W".repeat(200));
        let paragraphs = wrap(&text, Weight::Regular, BODY, CONTENT_W);
        assert_eq!(paragraphs.len(), 3);
        assert!(paragraphs[0].len() >= 5, "{paragraphs:?}");
        assert_eq!(paragraphs[1], vec!["Een tweede alinea."]);
        assert!(paragraphs[2].len() >= 3, "the long word is broken hard");
        assert_eq!(paragraphs[2].concat(), "W".repeat(200));
        for line in paragraphs.iter().flatten() {
            let w = measure(line, Weight::Regular, BODY);
            assert!(w <= CONTENT_W, "{w} > {CONTENT_W}: {line}");
            assert!(w > 0.0);
        }
        for line in wrap(&text, Weight::Bold, 52.0, CONTENT_W).iter().flatten() {
            assert!(measure(line, Weight::Bold, 52.0) <= CONTENT_W);
        }
        // Lines are nearly full: the measure is not wildly pessimistic.
        assert!(measure(&paragraphs[0][0], Weight::Regular, BODY) > CONTENT_W * 0.85);
    }

    /// resvg's own layout of every line (with shaping and kerning) stays within the margins.
    #[test]
    fn drawn_text_stays_inside_the_margins() {
        fn check(group: &usvg::Group, count: &mut usize) {
            for node in group.children() {
                match node {
                    usvg::Node::Group(g) => check(g, count),
                    usvg::Node::Text(t) => {
                        let bbox = t.abs_bounding_box();
                        assert!(bbox.left() >= MARGIN - 1.0, "{bbox:?}");
                        assert!(bbox.right() <= WIDTH - MARGIN + 1.0, "{bbox:?}");
                        *count += 1;
                    }
                    _ => {}
                }
            }
        }
        for g in [sample(), long_sample(), hostile()] {
            let svg = svg(&g, &NL);
            let options = usvg::Options {
                fontdb: font_db(),
                ..usvg::Options::default()
            };
            let tree = usvg::Tree::from_str(&svg, &options).unwrap();
            let mut count = 0;
            check(tree.root(), &mut count);
            assert!(count > 30, "{count}");
        }
    }

    #[test]
    fn the_poster_says_who_asked_and_when() {
        let svg = svg(&sample(), &NL);
        assert!(svg.contains("Gevraagd door gemeente Zwolle op 02-09-2026"));
        let mut g = sample();
        g.unsolicited = true;
        g.asked_by = None;
        assert!(svg_en(&g).contains("Raised by the panel itself, 02-09-2026"));
    }

    fn svg_en(g: &Infographic) -> String {
        svg(g, &EN)
    }

    #[test]
    fn every_character_we_write_is_in_the_fonts() {
        let (regular, bold) = faces();
        let (regular, bold) = (regular.as_ref().unwrap(), bold.as_ref().unwrap());
        let mut chars = String::from("„”“–·0123456789.,-");
        for l in [*NL, *EN] {
            for s in [
                l.heading,
                l.question,
                l.said,
                l.top_inputs,
                l.quote,
                l.done,
                l.meaning,
                l.numbers,
                l.members,
                l.meetings,
                l.days,
                l.follow_up,
                l.update,
                l.expected,
            ] {
                chars.push_str(s);
            }
            for p in Progress::ALL {
                chars.push_str(l.progress(p));
            }
            for s in ResponseStatus::ALL {
                chars.push_str(l.status(s));
                chars.push_str(s.icon());
            }
            let mut g = sample();
            chars.push_str(&l.asked(&g));
            g.unsolicited = true;
            chars.push_str(&l.asked(&g));
        }
        for c in chars.chars() {
            assert!(regular.glyph_index(c).is_some(), "regular lacks {c:?}");
            assert!(bold.glyph_index(c).is_some(), "bold lacks {c:?}");
        }
    }

    #[test]
    fn theme_colours_have_enough_contrast() {
        let mut failures = Vec::new();
        let mut check = |what: String, fg: &str, bg: &str| {
            let ratio = contrast(fg, bg);
            if ratio < 4.5 {
                failures.push(format!("{what}: {fg} on {bg} is {ratio:.2}:1"));
            }
        };
        for theme in ColourTheme::ALL {
            let p = palette(theme);
            check(format!("{theme:?} text on accent"), p.on_accent, p.accent);
            check(format!("{theme:?} body on page"), p.body, p.page);
            check(format!("{theme:?} accent on page"), p.accent, p.page);
            check(format!("{theme:?} body on card"), p.body, CARD);
            check(format!("{theme:?} accent on card"), p.accent, CARD);
            for status in ResponseStatus::ALL {
                check(
                    format!("{theme:?} {status:?} on card"),
                    status_colour(status),
                    CARD,
                );
                check(
                    format!("{theme:?} {status:?} on page"),
                    status_colour(status),
                    p.page,
                );
                let pill = tint(status_colour(status), CARD, STATUS_TINT);
                check(
                    format!("{theme:?} {status:?} on its pill"),
                    status_colour(status),
                    &pill,
                );
            }
        }
        assert!(failures.is_empty(), "{failures:#?}");
    }

    #[test]
    fn too_tall_is_an_error_not_a_panic() {
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1200\" height=\"{}\"/>",
            MAX_HEIGHT + 1
        );
        assert!(matches!(png(&svg), Err(RenderError::Size { .. })));
        assert!(matches!(png("not svg"), Err(RenderError::Svg(_))));
        assert!(!RenderError::Svg("x".into()).to_string().is_empty());
    }

    #[test]
    fn digits_are_grouped() {
        assert_eq!(group_digits(23, "nl"), "23");
        assert_eq!(group_digits(1234, "nl"), "1.234");
        assert_eq!(group_digits(-1_234_567, "en"), "-1,234,567");
        assert_eq!(unquote("  „Hallo”  "), "Hallo");
    }

    /// `INFOGRAPHIC_EXAMPLES=/some/dir cargo test` writes example posters there.
    #[test]
    fn write_examples_when_asked() {
        let Ok(dir) = std::env::var("INFOGRAPHIC_EXAMPLES") else {
            return;
        };
        let dir = std::path::Path::new(&dir);
        for (name, g, labels) in [
            ("example", sample(), *NL),
            ("example-long", long_sample(), *NL),
            (
                "example-en",
                {
                    let mut g = sample();
                    g.theme = ColourTheme::Sunset;
                    g
                },
                *EN,
            ),
        ] {
            let svg = svg(&g, &labels);
            std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png(&svg).unwrap()).unwrap();
        }
    }
}
