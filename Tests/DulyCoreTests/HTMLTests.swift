import DulyCore
import Testing

struct HTMLTests {
    @Test func markupInTextIsEscaped() {
        #expect(HTML.escape("<script>alert('x')</script>") == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;")
    }

    @Test func quotesCannotCloseAnAttribute() {
        #expect(HTML.escape("a\" onmouseover=\"x") == "a&quot; onmouseover=&quot;x")
    }

    @Test func ampersandsAreEscapedOnce() {
        #expect(HTML.escape("Smith & Sons &amp;") == "Smith &amp; Sons &amp;amp;")
    }

    @Test func lettersBeyondASCIIStayAsWritten() {
        #expect(HTML.escape("Müller & Søn — café 🍰") == "Müller &amp; Søn — café 🍰")
    }
}
