//! The RSS Syndication module (`sy:updatePeriod`, `sy:updateFrequency`, common in WordPress
//! and RSS 1.0 feeds): how often the publisher says the feed changes, read as a TTL when the
//! feed has no `<ttl>`. feed-rs does not expose these elements, so the channel's head is
//! scanned here, up to its first item.

use quick_xml::Reader;
use quick_xml::events::Event;

/// Minutes between updates announced by the feed's `updatePeriod` (hourly, daily, weekly,
/// monthly, yearly) divided by its `updateFrequency` (default 1); `None` when the feed says
/// nothing usable before its first item.
pub(super) fn update_minutes(body: &[u8]) -> Option<u32> {
    // A feed that never names the module is not scanned.
    if !body.windows(12).any(|w| w == b"updatePeriod") {
        return None;
    }
    let text = String::from_utf8_lossy(body);
    let mut reader = Reader::from_str(&text);
    let (mut period, mut frequency) = (None, None);
    let mut inside: Option<Field> = None;
    // Malformed XML ends the scan; what was read before it stands (feed-rs repairs such
    // documents too).
    while let Ok(event) = reader.read_event() {
        match event {
            Event::Start(start) => match start.local_name().as_ref() {
                "item" | "entry" => break,
                "updatePeriod" => inside = Some(Field::Period),
                "updateFrequency" => inside = Some(Field::Frequency),
                _ => inside = None,
            },
            Event::Text(value) => {
                let value = value.trim().to_ascii_lowercase();
                match inside.take() {
                    Some(Field::Period) => period = period_minutes(&value),
                    Some(Field::Frequency) => frequency = value.parse::<u32>().ok(),
                    None => {}
                }
            }
            Event::End(_) => inside = None,
            Event::Eof => break,
            _ => {}
        }
    }
    let per_update = period? / frequency.unwrap_or(1).max(1);
    Some(per_update.max(1))
}

#[derive(Debug, Clone, Copy)]
enum Field {
    Period,
    Frequency,
}

fn period_minutes(period: &str) -> Option<u32> {
    Some(match period {
        "hourly" => 60,
        "daily" => 24 * 60,
        "weekly" => 7 * 24 * 60,
        "monthly" => 30 * 24 * 60,
        "yearly" => 365 * 24 * 60,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rss(head: &str) -> String {
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\" \
             xmlns:sy=\"http://purl.org/rss/1.0/modules/syndication/\"><channel><title>T</title>\
             {head}<item><title>A</title><sy:updatePeriod>yearly</sy:updatePeriod></item></channel></rss>"
        )
    }

    #[test]
    fn period_divided_by_frequency() {
        let feed = rss(
            "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>",
        );
        assert_eq!(update_minutes(feed.as_bytes()), Some(30));
        let feed = rss("<sy:updatePeriod> Daily </sy:updatePeriod>");
        assert_eq!(update_minutes(feed.as_bytes()), Some(1440));
    }

    #[test]
    fn nothing_usable_is_none() {
        // Only inside an item, an unknown period, a frequency alone, or no module at all.
        assert_eq!(update_minutes(rss("").as_bytes()), None);
        let feed = rss("<sy:updatePeriod>fortnightly</sy:updatePeriod>");
        assert_eq!(update_minutes(feed.as_bytes()), None);
        let feed = rss("<sy:updateFrequency>4</sy:updateFrequency>");
        assert_eq!(update_minutes(feed.as_bytes()), None);
        assert_eq!(update_minutes(b"<rss><channel></channel></rss>"), None);
    }

    #[test]
    fn a_zero_or_huge_frequency_never_gives_zero_minutes() {
        let feed = rss(
            "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>0</sy:updateFrequency>",
        );
        assert_eq!(update_minutes(feed.as_bytes()), Some(60));
        let feed = rss(
            "<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>1000</sy:updateFrequency>",
        );
        assert_eq!(update_minutes(feed.as_bytes()), Some(1));
    }

    #[test]
    fn broken_xml_ends_the_scan_without_a_panic() {
        assert_eq!(
            update_minutes(b"<rss><sy:updatePeriod>hourly</sy:updatePeri"),
            Some(60)
        );
        assert_eq!(update_minutes(b"<rss><sy:updatePeriod><<<</"), None);
        assert_eq!(
            update_minutes(b"\xff\xfe<sy:updatePeriod>daily"),
            Some(1440)
        );
    }
}
