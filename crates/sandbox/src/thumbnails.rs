//! Small generated images for `media_url`, `thumbnail_url` and profile pictures: an SVG drawn from
//! the id, cheap to make and distinct per media.

use crate::core::{Answer, Core};
use crate::prng::mix;

pub(crate) fn serve(core: &Core, segments: &[&str]) -> Answer {
    match segments {
        ["media" | "profile", file] => {
            if let Some(id) = file.strip_suffix(".svg")
                && !id.is_empty()
                && id.bytes().all(|b| b.is_ascii_digit())
            {
                let mut answer =
                    Answer::text(200, "image/svg+xml", svg(core.seed, id).into_bytes());
                answer
                    .headers
                    .push(("Cache-Control".into(), "max-age=1209600".into()));
                return answer;
            }
            Answer::text(
                404,
                "text/plain; charset=utf-8",
                b"Video files are not simulated; use thumbnail_url for a picture.\n".to_vec(),
            )
        }
        _ => Answer::text(404, "text/plain; charset=utf-8", b"Not found\n".to_vec()),
    }
}

fn svg(seed: u64, id: &str) -> String {
    let key = mix(&[
        seed,
        id.bytes().fold(0u64, |acc, b| {
            acc.wrapping_mul(31).wrapping_add(u64::from(b))
        }),
    ]);
    let hue = key % 360;
    let hue2 = (hue + 40 + (key >> 9) % 120) % 360;
    let cx = 60 + (key >> 17) % 200;
    let cy = 60 + (key >> 25) % 200;
    let r = 40 + (key >> 33) % 80;
    let short: String = id
        .chars()
        .rev()
        .take(6)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"320\" height=\"320\" viewBox=\"0 0 320 320\">\
<rect width=\"320\" height=\"320\" fill=\"hsl({hue},55%,62%)\"/>\
<circle cx=\"{cx}\" cy=\"{cy}\" r=\"{r}\" fill=\"hsl({hue2},60%,45%)\" opacity=\"0.85\"/>\
<rect x=\"{rx}\" y=\"{ry}\" width=\"90\" height=\"60\" rx=\"12\" fill=\"hsl({hue},40%,90%)\" opacity=\"0.7\"/>\
<text x=\"16\" y=\"304\" font-family=\"sans-serif\" font-size=\"18\" fill=\"#fff\">#{short}</text></svg>",
        rx = 20 + (key >> 41) % 180,
        ry = 20 + (key >> 49) % 200,
    )
}
