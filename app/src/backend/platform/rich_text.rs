//! Rich text (a question's background) is written as Markdown and shown as HTML made
//! here, on the server. Sanitised by construction: raw HTML in the text is shown as text,
//! links keep only http(s) and mailto addresses, images become links (no outside images
//! load in a young person's browser), and headings start at level 3 so they fit under the
//! page's own headings.

use pulldown_cmark::{html, CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

fn safe_url(url: &str) -> bool {
    let lower = url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://") || lower.starts_with("mailto:")
}

fn checked(url: CowStr<'_>) -> CowStr<'_> {
    if safe_url(&url) {
        url
    } else {
        CowStr::Borrowed("#")
    }
}

fn demoted(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 | HeadingLevel::H2 => HeadingLevel::H3,
        other => other,
    }
}

/// Markdown to safe HTML.
pub fn to_html(markdown: &str) -> String {
    let options = Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: checked(dest_url),
            title,
            id,
        }),
        Event::Start(Tag::Image {
            link_type,
            dest_url,
            title,
            id,
        }) => Event::Start(Tag::Link {
            link_type,
            dest_url: checked(dest_url),
            title,
            id,
        }),
        Event::End(TagEnd::Image) => Event::End(TagEnd::Link),
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demoted(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demoted(level))),
        other => other,
    });
    let mut out = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut out, events);
    out
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn markdown_becomes_html() {
        let html = to_html("# Kop\n\nTekst met **vet** en *schuin*.\n\n- een\n- twee\n\n[site](https://www.tilburg.nl)");
        assert!(html.contains("<h3>Kop</h3>"), "{html}");
        assert!(html.contains("<strong>vet</strong>"));
        assert!(html.contains("<em>schuin</em>"));
        assert!(html.contains("<li>een</li>"));
        assert!(html.contains("<a href=\"https://www.tilburg.nl\">site</a>"));
    }

    /// The elements Markdown can make.
    const ALLOWED: [&str; 18] = [
        "p",
        "a",
        "strong",
        "em",
        "del",
        "h3",
        "h4",
        "h5",
        "h6",
        "ul",
        "ol",
        "li",
        "code",
        "pre",
        "blockquote",
        "br",
        "hr",
        "a/",
    ];

    /// Every tag in the HTML, from after `<` to its `>`.
    fn tags(html: &str) -> Vec<&str> {
        html.split('<')
            .skip(1)
            .map(|rest| rest.split('>').next().unwrap_or_default())
            .collect()
    }

    /// The names of a tag's attributes (what stands before `=` outside quotes).
    fn attribute_names(tag: &str) -> Vec<String> {
        let mut names = Vec::new();
        let mut word = String::new();
        let mut quoted = false;
        for c in tag.chars() {
            match c {
                '"' => quoted = !quoted,
                '=' if !quoted => names.push(std::mem::take(&mut word).to_ascii_lowercase()),
                ' ' if !quoted => word.clear(),
                c if !quoted => word.push(c),
                _ => {}
            }
        }
        names
    }

    #[test]
    fn scripts_handlers_and_dangerous_links_do_not_survive() {
        let attacks = [
            "<script>alert(1)</script>",
            "Hoi <img src=x onerror=alert(1)> daar",
            "[klik](javascript:alert(1))",
            "[klik](JaVaScRiPt:alert(1))",
            "[klik]( javascript:alert(1))",
            "[klik](data:text/html;base64,PHNjcmlwdD4=)",
            "![plaatje](javascript:alert(1))",
            "<a href=\"javascript:alert(1)\">x</a>",
            "<iframe src=\"https://evil.example\"></iframe>",
            "[x](https://ok.example \"titel\\\" onmouseover=\\\"alert(1)\")",
        ];
        for attack in attacks {
            let html = to_html(attack);
            for tag in tags(&html) {
                let name = tag
                    .trim_start_matches('/')
                    .split([' ', '>'])
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                assert!(ALLOWED.contains(&name.as_str()), "{attack} -> {html}");
                for attribute in attribute_names(tag) {
                    assert!(
                        ["href", "title"].contains(&attribute.as_str()),
                        "{attack} -> {html}"
                    );
                }
                let lower = tag.to_ascii_lowercase();
                if let Some(href) = lower.split("href=\"").nth(1) {
                    assert!(
                        ["https://", "http://", "mailto:", "#"]
                            .iter()
                            .any(|ok| href.starts_with(ok)),
                        "{attack} -> {html}"
                    );
                }
            }
        }
        // Raw HTML is shown as the text it is.
        assert!(to_html("<b>hoi</b>").contains("&lt;b&gt;hoi&lt;/b&gt;"));
        // An image becomes a link to it.
        assert_eq!(
            to_html("![kaart](https://k.example/kaart.png)").trim(),
            "<p><a href=\"https://k.example/kaart.png\">kaart</a></p>"
        );
    }
}
