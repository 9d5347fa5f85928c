<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an Atom feed opened in a browser as a readable page that says what a feed is and
     how to subscribe, instead of raw XML. Feed readers ignore it. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>
  <xsl:template match="/atom:feed">
    <html lang="pl">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="atom:title"/> (kanał Atom)</title>
        <link rel="stylesheet" href="/static/css/site.css"/>
      </head>
      <body>
        <main id="tresc">
          <div class="wrap">
            <aside class="feed-about" aria-labelledby="czym-jest-kanal">
              <h2 id="czym-jest-kanal">To jest kanał Atom</h2>
              <p>Skopiuj adres tej strony z paska przeglądarki i dodaj go w czytniku kanałów (np. Thunderbird, Feedly, Inoreader, NetNewsWire): czytnik sam pokaże nowe materiały, gdy się pojawią.</p>
              <p><a href="/kanaly-i-kalendarze/">Jak subskrybować kanały i kalendarze spotkań</a> · <a href="/en/kanaly-i-kalendarze/" lang="en" hreflang="en">How to subscribe (English)</a></p>
            </aside>
            <h1><xsl:value-of select="atom:title"/></h1>
            <p class="lead"><xsl:value-of select="atom:subtitle"/></p>
            <p><a href="{atom:link[@rel='alternate']/@href}">Przejdź do strony w archiwum</a></p>
            <ul class="plain feed-entries">
              <xsl:for-each select="atom:entry">
                <li class="hit">
                  <h2 class="hit-title"><a href="{atom:link/@href}"><xsl:value-of select="atom:title"/></a></h2>
                  <p class="meta"><time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time> · <xsl:value-of select="atom:author/atom:name"/></p>
                  <!-- The summary is escaped HTML (Django types it "html"): written out once, it is plain text again. -->
                  <p class="snippet"><xsl:value-of select="atom:summary" disable-output-escaping="yes"/></p>
                </li>
              </xsl:for-each>
            </ul>
          </div>
        </main>
      </body>
    </html>
  </xsl:template>
</xsl:stylesheet>
