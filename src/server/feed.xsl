<?xml version="1.0" encoding="utf-8"?>
<!-- tinfeed: shows an RSS 2.0 or Atom 1.0 feed opened in a browser as a readable Vietnamese page.
     Feed readers ignore it. XSLT 1.0, so every browser's built-in processor can run it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    exclude-result-prefixes="atom dc">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>

  <xsl:template match="/">
    <html lang="vi">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="rss/channel/title | atom:feed/atom:title"/></title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; color: #222; line-height: 1.5; }
          .banner { background: #fff8e1; border: 1px solid #f0d890; padding: .75rem 1rem; border-radius: .4rem; }
          .meta { color: #666; font-size: .9rem; }
          ol.items { list-style: none; padding: 0; }
          li.item { border-bottom: 1px solid #e5e5e5; padding: .9rem 0; }
          li.item a.title { font-size: 1.15rem; font-weight: 600; text-decoration: none; color: #0b57a4; }
          li.item a.title:hover { text-decoration: underline; }
        </style>
      </head>
      <body>
        <p class="banner">Đây là nguồn tin (RSS/Atom). Sao chép địa chỉ của trang này vào trình đọc tin để nhận bài mới; <a href="./">xem mọi nguồn tin</a>.</p>
        <xsl:apply-templates select="rss/channel | atom:feed"/>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <h1><xsl:value-of select="title"/></h1>
    <p><xsl:value-of select="description"/></p>
    <p class="meta">
      <xsl:text>Cập nhật: </xsl:text>
      <xsl:call-template name="rfc822"><xsl:with-param name="date" select="lastBuildDate"/></xsl:call-template>
      <xsl:text> · </xsl:text><a href="{link}">Trang chuyên mục</a>
      <xsl:text> · </xsl:text><xsl:value-of select="count(item)"/><xsl:text> tin</xsl:text>
    </p>
    <ol class="items">
      <xsl:for-each select="item">
        <li class="item">
          <a class="title" href="{link}"><xsl:value-of select="title"/></a>
          <div class="meta">
            <xsl:call-template name="rfc822"><xsl:with-param name="date" select="pubDate"/></xsl:call-template>
            <xsl:if test="dc:creator"><xsl:text> · </xsl:text><xsl:value-of select="dc:creator"/></xsl:if>
            <xsl:if test="category"><xsl:text> · </xsl:text><xsl:value-of select="category"/></xsl:if>
          </div>
          <!-- RSS descriptions are HTML; ours are escaped plain text, so this shows the text as written -->
          <p class="summary"><xsl:value-of select="description" disable-output-escaping="yes"/></p>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <xsl:template match="atom:feed">
    <h1><xsl:value-of select="atom:title"/></h1>
    <p><xsl:value-of select="atom:subtitle"/></p>
    <p class="meta">
      <xsl:text>Cập nhật: </xsl:text>
      <xsl:call-template name="rfc3339"><xsl:with-param name="date" select="atom:updated"/></xsl:call-template>
      <xsl:text> · </xsl:text><a href="{atom:link[@rel='alternate']/@href}">Trang chuyên mục</a>
      <xsl:text> · </xsl:text><xsl:value-of select="count(atom:entry)"/><xsl:text> tin</xsl:text>
    </p>
    <ol class="items">
      <xsl:for-each select="atom:entry">
        <li class="item">
          <a class="title" href="{atom:link[@rel='alternate' or not(@rel)]/@href}"><xsl:value-of select="atom:title"/></a>
          <div class="meta">
            <xsl:call-template name="rfc3339"><xsl:with-param name="date" select="atom:published | atom:updated[not(../atom:published)]"/></xsl:call-template>
            <xsl:if test="atom:author/atom:name"><xsl:text> · </xsl:text><xsl:value-of select="atom:author/atom:name"/></xsl:if>
            <xsl:if test="atom:category/@label"><xsl:text> · </xsl:text><xsl:value-of select="atom:category/@label"/></xsl:if>
          </div>
          <p class="summary"><xsl:value-of select="atom:summary"/></p>
        </li>
      </xsl:for-each>
    </ol>
  </xsl:template>

  <!-- "Thu, 28 Nov 2024 08:30:00 +0700" → "28/11/2024 08:30" -->
  <xsl:template name="rfc822">
    <xsl:param name="date"/>
    <xsl:variable name="d" select="normalize-space($date)"/>
    <xsl:variable name="month" select="substring($d, 9, 3)"/>
    <xsl:variable name="n" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', $month)) div 3 + 1"/>
    <xsl:choose>
      <xsl:when test="string-length($d) &gt;= 22 and $month != '' and contains('JanFebMarAprMayJunJulAugSepOctNovDec', $month)">
        <xsl:value-of select="concat(substring($d, 6, 2), '/', format-number($n, '00'), '/', substring($d, 13, 4), ' ', substring($d, 18, 5))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- "2024-11-28T08:30:00+07:00" → "28/11/2024 08:30" -->
  <xsl:template name="rfc3339">
    <xsl:param name="date"/>
    <xsl:variable name="d" select="normalize-space($date)"/>
    <xsl:choose>
      <xsl:when test="string-length($d) &gt;= 16 and substring($d, 11, 1) = 'T'">
        <xsl:value-of select="concat(substring($d, 9, 2), '/', substring($d, 6, 2), '/', substring($d, 1, 4), ' ', substring($d, 12, 5))"/>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$d"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
