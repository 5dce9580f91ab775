import { describe, expect, it } from 'vitest';
import { childElement, childText, parseXml, XmlError } from './xml';

describe('parseXml', () => {
  it('reads a module.xml-shaped document', () => {
    const root = parseXml(`\uFEFF<?xml version="1.0" encoding="UTF-8"?>
<!-- generated -->
<modules>
  <module>
    <id>com.example.widgets</id>
    <name>Widgets &amp; Gadgets</name>
    <description><![CDATA[Uses <b>bold</b> & more]]></description>
    <version>1.4.2.2024010101</version>
    <jar scope='GD'>widgets-gateway.jar</jar>
    <hook scope="G">com.example.GatewayHook</hook>
    <empty/>
    <empty2 a="1" />
  </module>
</modules>
`);
    expect(root.name).toBe('modules');
    const moduleElement = childElement(root, 'module');
    expect(moduleElement).toBeDefined();
    if (!moduleElement) return;
    expect(childText(moduleElement, 'id')).toBe('com.example.widgets');
    expect(childText(moduleElement, 'name')).toBe('Widgets & Gadgets');
    expect(childText(moduleElement, 'description')).toBe('Uses <b>bold</b> & more');
    expect(childElement(moduleElement, 'jar')?.attributes.scope).toBe('GD');
    expect(childText(moduleElement, 'empty')).toBeUndefined();
    expect(childElement(moduleElement, 'empty2')?.attributes).toEqual({ a: '1' });
    expect(childText(moduleElement, 'missing')).toBeUndefined();
  });

  it('decodes numeric references', () => {
    expect(parseXml('<a>&#65;&#x42;&lt;&gt;&quot;&apos;</a>').text).toBe('AB<>"\'');
  });

  it.each([
    ['a DOCTYPE (entity declarations)', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>', /DOCTYPE/],
    ['an unknown entity', '<x>&xxe;</x>', /unknown entity/],
    ['a bare ampersand', '<x>fish & chips</x>', /must start an entity/],
    ['mismatched tags', '<a><b></a></b>', /closes/],
    ['an unclosed element', '<a><b>text</b>', /never closed/],
    ['trailing content', '<a/><b/>', /after the root/],
    ['no root', '   ', /root element/],
    ['not XML at all', 'PK\u0003\u0004 binary', /root element/],
    ['an unquoted attribute', '<a x=1/>', /quoted/],
    ['a duplicate attribute', '<a x="1" x="2"/>', /twice/],
    ['an invalid character reference', '<a>&#0;</a>', /not a valid character/],
    ['an unterminated comment', '<a><!-- oops</a>', /unterminated comment/],
    ['a nested declaration', '<a><!ENTITY x "y"></a>', /declarations/],
  ])('refuses %s', (_label, xml, reason) => {
    expect(() => parseXml(xml)).toThrow(XmlError);
    expect(() => parseXml(xml)).toThrow(reason);
  });

  it('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = '<a>'.repeat(1000) + '</a>'.repeat(1000);
    expect(() => parseXml(deep)).toThrow(/nested deeper/);
  });

  it('reports the line of the error', () => {
    try {
      parseXml('<a>\n<b>\n</c>\n</a>');
      throw new Error('expected failure');
    } catch (error) {
      expect(error).toBeInstanceOf(XmlError);
      expect((error as XmlError).line).toBe(3);
    }
  });
});
