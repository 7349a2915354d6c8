"""Write ``harborledger-crawl.warc.gz``, the bundled WARC example.

The archive holds a small crawl of the fictional US outlet *The Harbor Ledger*
(``harborledger.example``): a ``warcinfo`` record, a ``robots.txt`` response
(not HTML), a ``request`` record and two HTML ``response`` records, each an
article page written by the lagebild team.

The output is deterministic: every record has a fixed ``WARC-Date`` and a
``WARC-Record-ID`` derived from its URI and type, so running the script again
reproduces the same records (the decompressed bytes are identical; the gzip
header's OS byte may differ between platforms).

Usage::

    python examples/make_warc.py [OUTPUT]   # default: examples/harborledger-crawl.warc.gz
"""

from __future__ import annotations

import sys
import uuid
from datetime import datetime, timezone
from email.utils import format_datetime
from io import BytesIO
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

__all__ = ["PAGES", "write_warc", "main"]

HOST = "https://harborledger.example"
#: The name recorded in the warcinfo record, whatever the output path is.
WARC_FILENAME = "harborledger-crawl.warc.gz"
DEFAULT_OUTPUT = Path(__file__).resolve().parent / WARC_FILENAME
#: Namespace for the deterministic record ids (uuid5 of record type + URI).
_ID_NAMESPACE = uuid.UUID("6f1c2d4e-8a3b-4c5d-9e7f-0a1b2c3d4e5f")

ROBOTS_TXT = """\
User-agent: *
Disallow: /account/
Disallow: /search
Allow: /

Sitemap: https://harborledger.example/sitemap.xml
"""

PUTIN_KIM_PACT = """\
<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="utf-8">
  <title>Putin and Kim sign pact pledging mutual military aid - The Harbor Ledger</title>
  <meta property="og:type" content="article">
  <meta property="og:title" content="Putin and Kim sign pact pledging mutual military aid">
  <meta property="og:site_name" content="The Harbor Ledger">
  <meta property="og:url" content="https://harborledger.example/world/2024/06/19/putin-kim-mutual-aid-pact">
  <meta property="article:published_time" content="2024-06-19T10:30:00-04:00">
  <meta property="article:section" content="World">
  <link rel="canonical" href="https://harborledger.example/world/2024/06/19/putin-kim-mutual-aid-pact">
  <script>
    window.hlAnalytics = {page: "article", section: "world"};
    var subscribePrompt = "You have read 3 of 5 free articles this month. Subscribe now for unlimited access.";
  </script>
</head>
<body>
  <nav class="site-nav">
    <a href="/">The Harbor Ledger</a>
    <a href="/us">U.S.</a> <a href="/world">World</a> <a href="/politics">Politics</a>
    <a href="/business">Business</a> <a href="/opinion">Opinion</a> <a href="/sports">Sports</a>
  </nav>
  <main>
    <article>
      <p class="section-label">WORLD</p>
      <h1>Putin and Kim sign pact pledging mutual military aid</h1>
      <p class="byline">By Dana Example and Sam Sample | June 19, 2024</p>
      <div class="listen">Listen to this article &middot; 3 min</div>
      <figure>
        <img src="/img/2024/06/pyongyang-ceremony.jpg" alt="Vladimir Putin and Kim Jong Un in Pyongyang">
        <figcaption>Vladimir Putin and Kim Jong Un at a welcome ceremony in Pyongyang on Wednesday.
          <span class="credit">Photo: Example Pool / Jane Doe</span></figcaption>
      </figure>
      <p>Russian President Vladimir Putin and North Korean leader Kim Jong Un signed a treaty in Pyongyang on Wednesday that
        commits their countries to help each other if either is attacked, the most far-reaching agreement between Moscow
        and Pyongyang in decades.</p>
      <p>Putin told reporters that the "comprehensive strategic partnership" agreement provides for mutual assistance in
        the event of aggression against one of the parties, and he called it a breakthrough document. Kim said the treaty
        raised relations between the two countries to the level of an alliance.</p>
      <p>The signing came during Putin's first visit to North Korea since 2000. Kim greeted him at the airport in the
        early hours of Wednesday, and the Russian leader was later honored at a ceremony in Kim Il Sung Square. The two
        men last met in September 2023 at the Vostochny Cosmodrome in Russia's Far East.</p>
      <aside class="inline-related">Related: <a href="/world/2024/06/18/putin-north-korea-trip-preview">What to know
        about Putin's trip to North Korea</a> Read more &raquo;</aside>
      <p>The United States and South Korea have accused North Korea of supplying artillery shells and ballistic missiles
        to Russia for its war in Ukraine. Moscow and Pyongyang deny the charges.</p>
      <p>North Korea is under United Nations sanctions over its nuclear weapons and ballistic missile programs. In March,
        Russia vetoed the renewal of a U.N. panel of experts that had monitored the enforcement of those sanctions for
        15 years.</p>
      <p>From Pyongyang, Putin is scheduled to travel on to Vietnam.</p>
      <p class="source">Source: Reuters, AP</p>
    </article>
    <aside class="related">
      <h2>Related</h2>
      <ul>
        <li><a href="/world/2024/06/12/north-korea-munitions">Tracking North Korean munitions on the front line</a> Read more &raquo;</li>
        <li><a href="/world/2024/03/28/un-panel-veto">Russia's veto ends U.N. sanctions monitoring</a> Read more &raquo;</li>
        <li><a href="/world/2024/06/20/putin-hanoi">Putin heads to Hanoi</a> Read more &raquo;</li>
      </ul>
    </aside>
    <div class="newsletter">Get the World Brief newsletter. <a href="/newsletters">Sign up</a></div>
  </main>
  <footer>
    <p>&copy; 2024 The Harbor Ledger. All rights reserved. <a href="/terms">Terms</a> | <a href="/privacy">Privacy</a></p>
  </footer>
</body>
</html>
"""

KEY_BRIDGE_COLLAPSE = """\
<!DOCTYPE html>
<html lang="en-US">
<head>
  <meta charset="utf-8">
  <title>Six workers presumed dead after ship topples Baltimore's Key Bridge - The Harbor Ledger</title>
  <meta property="og:type" content="article">
  <meta property="og:title" content="Six workers presumed dead after ship topples Baltimore's Key Bridge">
  <meta property="og:site_name" content="The Harbor Ledger">
  <meta property="og:url" content="https://harborledger.example/us/2024/03/27/key-bridge-collapse-workers-presumed-dead">
  <meta property="article:published_time" content="2024-03-27T07:00:00-04:00">
  <meta property="article:section" content="U.S.">
  <link rel="canonical" href="https://harborledger.example/us/2024/03/27/key-bridge-collapse-workers-presumed-dead">
  <script>
    window.hlAnalytics = {page: "article", section: "us"};
    var breakingBanner = "Breaking news alerts: turn on notifications to stay informed.";
  </script>
</head>
<body>
  <nav class="site-nav">
    <a href="/">The Harbor Ledger</a>
    <a href="/us">U.S.</a> <a href="/world">World</a> <a href="/politics">Politics</a>
    <a href="/business">Business</a> <a href="/opinion">Opinion</a> <a href="/sports">Sports</a>
  </nav>
  <main>
    <article>
      <p class="section-label">U.S. | MARYLAND</p>
      <h1>Six workers presumed dead after ship topples Baltimore's Key Bridge</h1>
      <p class="byline">By Riley Placeholder | March 27, 2024</p>
      <div class="gallery-teaser"><span>1/12</span> <a href="/gallery/key-bridge">View gallery</a></div>
      <figure>
        <img src="/img/2024/03/key-bridge.jpg" alt="The wreckage of the Francis Scott Key Bridge">
        <figcaption>The container ship Dali sits beneath the wreckage of the Francis Scott Key Bridge.
          <span class="credit">Photo: Example Agency / John Doe</span></figcaption>
      </figure>
      <p>Six construction workers who were on Baltimore's Francis Scott Key Bridge when it collapsed early Tuesday are
        presumed dead, officials said, after the Coast Guard suspended its search for survivors on Tuesday evening.</p>
      <p>The container ship Dali, which was bound for Sri Lanka, lost power shortly after leaving the Port of Baltimore
        and struck one of the bridge's support piers at about 1:30 a.m. Much of the 1.6-mile span fell into the Patapsco
        River within seconds.</p>
      <p>The workers were part of a crew filling potholes on the bridge deck. Two other people were pulled from the
        water; one of them was treated at a hospital.</p>
      <p>Maryland Governor Wes Moore said a mayday call from the ship allowed authorities to stop traffic onto the
        bridge moments before the impact, saving lives. President Joe Biden said the federal government would pay for
        rebuilding the bridge and that he intended to move heaven and earth to reopen the port.</p>
      <p>The bridge, which opened in 1977, carried Interstate 695 across the harbor. Ship traffic into and out of the
        Port of Baltimore has been halted while the channel remains blocked. The National Transportation Safety Board
        has opened an investigation.</p>
      <p class="source">Source: AP</p>
    </article>
    <aside class="related">
      <h2>Related</h2>
      <ul>
        <li><a href="/us/2024/03/26/key-bridge-live">Live updates: Key Bridge collapse</a> Read more &raquo;</li>
        <li><a href="/business/2024/03/27/port-of-baltimore-closure">What the port closure means for shipping</a> Read more &raquo;</li>
      </ul>
    </aside>
    <div class="newsletter">Sign up for the Morning Ledger newsletter. <a href="/newsletters">Sign up</a></div>
  </main>
  <footer>
    <p>&copy; 2024 The Harbor Ledger. All rights reserved. <a href="/terms">Terms</a> | <a href="/privacy">Privacy</a></p>
  </footer>
</body>
</html>
"""

#: (path on the host, fixed WARC-Date, HTML) for each article page.
PAGES: tuple[tuple[str, str, str], ...] = (
    ("/world/2024/06/19/putin-kim-mutual-aid-pact", "2024-06-19T15:02:11Z", PUTIN_KIM_PACT),
    ("/us/2024/03/27/key-bridge-collapse-workers-presumed-dead", "2024-06-19T15:02:14Z", KEY_BRIDGE_COLLAPSE),
)
_ROBOTS_DATE = "2024-06-19T15:02:09Z"


def _record_id(kind: str, uri: str) -> str:
    return f"<urn:uuid:{uuid.uuid5(_ID_NAMESPACE, kind + ' ' + uri)}>"


def _http_date(warc_date: str) -> str:
    """``2024-06-19T15:02:11Z`` → an RFC 7231 date for the HTTP ``Date`` header."""
    dt = datetime.strptime(warc_date, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)
    return format_datetime(dt, usegmt=True)


def _response(writer: WARCWriter, uri: str, date: str, body: bytes, content_type: str):  # type: ignore[no-untyped-def]
    http = StatusAndHeaders(
        "200 OK",
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(body))),
            ("Date", _http_date(date)),
            ("Server", "nginx"),
        ],
        protocol="HTTP/1.1",
    )
    return writer.create_warc_record(
        uri,
        "response",
        payload=BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("response", uri)},
    )


def write_warc(output: Path) -> Path:
    """Write the example archive to ``output`` and return its path."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with open(output, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)

        info = b"software: lagebild examples/make_warc.py\r\nformat: WARC File Format 1.0\r\n"
        writer.write_record(
            writer.create_warc_record(
                "",
                "warcinfo",
                payload=BytesIO(info),
                length=len(info),
                warc_content_type="application/warc-fields",
                warc_headers_dict={
                    "WARC-Date": _ROBOTS_DATE,
                    "WARC-Record-ID": _record_id("warcinfo", WARC_FILENAME),
                    "WARC-Filename": WARC_FILENAME,
                },
            )
        )

        robots_uri = HOST + "/robots.txt"
        writer.write_record(_response(writer, robots_uri, _ROBOTS_DATE, ROBOTS_TXT.encode("utf-8"), "text/plain"))

        for i, (path, date, html) in enumerate(PAGES):
            uri = HOST + path
            response = _response(writer, uri, date, html.encode("utf-8"), "text/html; charset=utf-8")
            if i == 0:
                request_headers = StatusAndHeaders(
                    f"GET {path} HTTP/1.1",
                    [
                        ("Host", "harborledger.example"),
                        ("User-Agent", "lagebild-example-crawler/1.0"),
                        ("Accept", "text/html"),
                    ],
                    is_http_request=True,
                )
                request = writer.create_warc_record(
                    uri,
                    "request",
                    http_headers=request_headers,
                    warc_headers_dict={"WARC-Date": date, "WARC-Record-ID": _record_id("request", uri)},
                )
                writer.write_request_response_pair(request, response)
            else:
                writer.write_record(response)
    return output


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = write_warc(Path(args[0]) if args else DEFAULT_OUTPUT)
    print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
