//! Language detection for text whose page does not declare it.

use whatlang::Lang;

/// Texts shorter than this give whatlang too little to go on.
const MIN_CHARS: usize = 20;

/// The ISO 639-1 code of the text's language (ISO 639-3 where 639-1 has none), when
/// whatlang is reliably sure.
pub(crate) fn detect_language(text: &str) -> Option<String> {
    if text.chars().count() < MIN_CHARS {
        return None;
    }
    // Whatlang's cost grows with the input; the first few thousand characters decide.
    let sample: String = text.chars().take(4000).collect();
    let info = whatlang::detect(&sample)?;
    if info.confidence() < 0.5 {
        return None;
    }
    Some(
        iso_639_1(info.lang())
            .unwrap_or(info.lang().code())
            .to_string(),
    )
}

fn iso_639_1(lang: Lang) -> Option<&'static str> {
    Some(match lang {
        Lang::Eng => "en",
        Lang::Fra => "fr",
        Lang::Deu => "de",
        Lang::Pol => "pl",
        Lang::Ukr => "uk",
        Lang::Rus => "ru",
        Lang::Spa => "es",
        Lang::Ita => "it",
        Lang::Por => "pt",
        Lang::Nld => "nl",
        Lang::Ces => "cs",
        Lang::Slk => "sk",
        Lang::Hun => "hu",
        Lang::Ron => "ro",
        Lang::Swe => "sv",
        Lang::Dan => "da",
        Lang::Nob => "nb",
        Lang::Fin => "fi",
        Lang::Est => "et",
        Lang::Lav => "lv",
        Lang::Lit => "lt",
        Lang::Ell => "el",
        Lang::Tur => "tr",
        Lang::Bul => "bg",
        Lang::Hrv => "hr",
        Lang::Srp => "sr",
        Lang::Slv => "sl",
        Lang::Bel => "be",
        Lang::Ara => "ar",
        Lang::Heb => "he",
        Lang::Jpn => "ja",
        Lang::Cmn => "zh",
        Lang::Kor => "ko",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_the_story_languages() {
        for (text, code) in [
            (
                "Leaders of the coalition met in Paris on Tuesday to agree security guarantees.",
                "en",
            ),
            (
                "Les dirigeants de la coalition se sont réunis mardi à Paris pour les garanties de sécurité.",
                "fr",
            ),
            (
                "Die Staats- und Regierungschefs trafen sich am Dienstag in Paris zu Sicherheitsgarantien.",
                "de",
            ),
            (
                "Przywódcy koalicji chętnych spotkali się we wtorek w Paryżu w sprawie gwarancji bezpieczeństwa.",
                "pl",
            ),
            (
                "Лідери коаліції охочих зустрілися у вівторок у Парижі щодо гарантій безпеки для України.",
                "uk",
            ),
        ] {
            assert_eq!(detect_language(text).as_deref(), Some(code), "{text}");
        }
        assert_eq!(detect_language("ok"), None);
    }
}
