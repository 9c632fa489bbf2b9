//! Near-duplicate fingerprints for syndicated copies of one story.
//!
//! A wire report runs in dozens of outlets with small edits: a new headline, a trimmed
//! paragraph, a local sentence. We use a 64-bit **simhash** over 3-word shingles of the
//! folded text (Charikar 2002; Manku et al. 2007 for web near-duplicates) rather than
//! minhash because one `u64` per article fits a tantivy fast field and compares with one
//! XOR and popcount, while minhash needs a hundred or so values per article for the same
//! accuracy. The price is a fuzzier threshold; [`NEAR_DUPLICATE_BITS`] is set so that
//! copies with a few edited sentences fall within it while unrelated texts, whose
//! fingerprints differ in ~32 bits on average, stay far outside it.

use crate::fold::fold_str;

/// Two fingerprints at most this many bits apart are copies of the same story.
pub const NEAR_DUPLICATE_BITS: u32 = 10;

/// Words per shingle: long enough that shared vocabulary is not shared text.
const SHINGLE: usize = 3;

/// The simhash of `text`: case, accents and punctuation do not count. An empty text has
/// fingerprint 0.
pub fn fingerprint(text: &str) -> u64 {
    let folded = fold_str(text);
    let words: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut weights = [0i64; 64];
    let mut add = |hash: u64| {
        for (bit, weight) in weights.iter_mut().enumerate() {
            if hash >> bit & 1 == 1 {
                *weight += 1;
            } else {
                *weight -= 1;
            }
        }
    };
    if words.len() < SHINGLE {
        words.iter().for_each(|w| add(hash_words(&[w])));
    } else {
        words.windows(SHINGLE).for_each(|w| add(hash_words(w)));
    }
    weights
        .iter()
        .enumerate()
        .filter(|(_, w)| **w > 0)
        .fold(0, |acc, (bit, _)| acc | 1 << bit)
}

/// Bits that differ between two fingerprints.
pub fn distance(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// FNV-1a over the words, then a SplitMix64 finaliser to spread the bits. Written out
/// here because the fingerprint is stored in the index: it must never change with a
/// library or compiler version (std's hashers promise no such thing).
fn hash_words(words: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (i, word) in words.iter().enumerate() {
        if i > 0 {
            h ^= u64::from(b' ');
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for byte in word.bytes() {
            h ^= u64::from(byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h = (h ^ (h >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h = (h ^ (h >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "PARIS (Reuters) - European leaders and U.S. envoys met in Paris on Tuesday to agree security guarantees for Ukraine once a ceasefire takes hold, with Britain and France pledging to deploy troops in a multinational force. The Paris Declaration, signed at the Elysee by 35 delegations, foresees a U.S.-led ceasefire monitoring mechanism. President Volodymyr Zelensky said the documents were a step forward but that the question of territory remained unresolved. U.S. envoys Steve Witkoff and Jared Kushner attended the summit and later met the Ukrainian delegation led by Rustem Umerov. Russia has said any Western troops in Ukraine would be legitimate targets. French President Emmanuel Macron said thousands of soldiers could be deployed, while British Prime Minister Keir Starmer spoke of military hubs across Ukraine.";

    #[test]
    fn edited_copies_stay_close_and_other_stories_far() {
        let a = fingerprint(WIRE);
        let b = fingerprint(&WIRE.replace("PARIS (Reuters) - ", "").replace(
            "Russia has said any Western troops in Ukraine would be legitimate targets.",
            "Moscow warned that foreign troops would be legitimate targets.",
        ));
        let c = fingerprint(&format!(
            "{} Our correspondent in Kyiv contributed reporting.",
            WIRE.to_uppercase()
        ));
        assert!(distance(a, b) <= NEAR_DUPLICATE_BITS, "{}", distance(a, b));
        assert!(distance(a, c) <= NEAR_DUPLICATE_BITS, "{}", distance(a, c));
        let other = fingerprint(
            "The central bank left interest rates unchanged on Thursday, citing sticky services inflation and a weaker labour market, and signalled that cuts could come in the spring if wage growth keeps slowing across the economy.",
        );
        assert!(
            distance(a, other) > NEAR_DUPLICATE_BITS * 2,
            "{}",
            distance(a, other)
        );
    }

    #[test]
    fn stable_and_total() {
        assert_eq!(fingerprint(""), 0);
        assert_eq!(fingerprint("a b"), fingerprint("A, b!"));
        assert_eq!(fingerprint(WIRE), fingerprint(WIRE));
    }
}
