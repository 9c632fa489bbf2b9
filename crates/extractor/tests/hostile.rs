//! Hostile and broken pages: no panic, no stack overflow, a clear "no article found".
//! Each case runs on a thread with a 2 MiB stack, the size of tokio's blocking threads
//! where the pipeline extracts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use newsmon_extractor::{Error, Extractor};

fn extract_on_small_stack(input: Vec<u8>) -> Result<newsmon_extractor::Article, String> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            Extractor::new()
                .extract(&input, Some("https://example.com/p"), None)
                .map_err(|e| e.to_string())
        })
        .unwrap()
        .join()
        .expect("the extractor panicked")
}

fn paragraph(i: usize) -> String {
    format!(
        "<p>Paragraph {i}: leaders met in Paris to discuss security guarantees for Ukraine, \
         and the talks went on late into the evening, officials said.</p>"
    )
}

#[test]
fn deeply_nested_divs_do_not_overflow_the_stack() {
    let depth = 100_000;
    let html = format!(
        "<html><body>{}{}{}</body></html>",
        "<div>".repeat(depth),
        paragraph(1),
        "</div>".repeat(depth)
    );
    // Either an article or a clear error; above all, no crash.
    match extract_on_small_stack(html.into_bytes()) {
        Ok(article) => assert!(article.text.contains("Paragraph 1")),
        Err(message) => assert_eq!(message, "https://example.com/p: no article found"),
    }
}

#[test]
fn a_ten_megabyte_page_is_extracted() {
    let body: String = (0..70_000).map(paragraph).collect();
    let html = format!(
        "<html><head><title>Big</title></head><body><article>{body}</article></body></html>"
    );
    assert!(html.len() > 10_000_000);
    let article = extract_on_small_stack(html.into_bytes()).unwrap();
    assert!(article.text.contains("Paragraph 69999"));
}

#[test]
fn pages_without_an_article_say_so() {
    let cases: Vec<Vec<u8>> = vec![
        Vec::new(),
        b"<html><body><script>"
            .iter()
            .copied()
            .chain(b"var x = 1;".repeat(10_000))
            .chain(*b"</script></body></html>")
            .collect(),
        b"<html><head><style>p{}</style></head><body></body></html>".to_vec(),
        vec![0u8; 4096],
    ];
    for input in cases {
        let result = extract_on_small_stack(input);
        assert_eq!(
            result.err().as_deref(),
            Some("https://example.com/p: no article found")
        );
    }
}

#[test]
fn binary_truncated_and_invalid_utf8_input_never_panics() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut noise = |n: usize| -> Vec<u8> {
        (0..n)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect()
    };
    let page = format!(
        "<html><body><article>{}</article></body></html>",
        (0..40).map(paragraph).collect::<String>()
    );
    let mut inputs = vec![noise(100_000), page.as_bytes()[..page.len() / 3].to_vec()];
    let mut invalid = page.clone().into_bytes();
    for i in (0..invalid.len()).step_by(97) {
        invalid[i] = 0xff;
    }
    inputs.push(invalid);
    inputs.push(b"<<<<>>>><!--<![CDATA[<p>".repeat(1000));
    for input in inputs {
        let _ = extract_on_small_stack(input);
    }
}

#[test]
fn the_error_type_is_no_article() {
    let err = Extractor::new()
        .extract(b"", Some("x.html"), None)
        .unwrap_err();
    assert!(matches!(err, Error::NoArticle { .. }));
}
