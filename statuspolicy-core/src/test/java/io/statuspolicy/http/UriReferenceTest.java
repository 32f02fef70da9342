package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The bare RFC 3986 §5.2 algorithm, without the redirect safety checks. */
class UriReferenceTest {

    private static final UriReference RFC_BASE = UriReference.parse("http://a/b/c/d;p?q");

    /** Every example of RFC 3986 §5.4.1 (normal) and §5.4.2 (abnormal), strict parser. */
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            g:h           | g:h
            g             | http://a/b/c/g
            ./g           | http://a/b/c/g
            g/            | http://a/b/c/g/
            /g            | http://a/g
            //g           | http://g
            ?y            | http://a/b/c/d;p?y
            g?y           | http://a/b/c/g?y
            '#s'          | http://a/b/c/d;p?q#s
            g#s           | http://a/b/c/g#s
            g?y#s         | http://a/b/c/g?y#s
            ;x            | http://a/b/c/;x
            g;x           | http://a/b/c/g;x
            g;x?y#s       | http://a/b/c/g;x?y#s
            ''            | http://a/b/c/d;p?q
            .             | http://a/b/c/
            ./            | http://a/b/c/
            ..            | http://a/b/
            ../           | http://a/b/
            ../g          | http://a/b/g
            ../..         | http://a/
            ../../        | http://a/
            ../../g       | http://a/g
            ../../../g    | http://a/g
            ../../../../g | http://a/g
            /./g          | http://a/g
            /../g         | http://a/g
            g.            | http://a/b/c/g.
            .g            | http://a/b/c/.g
            g..           | http://a/b/c/g..
            ..g           | http://a/b/c/..g
            ./../g        | http://a/b/g
            ./g/.         | http://a/b/c/g/
            g/./h         | http://a/b/c/g/h
            g/../h        | http://a/b/c/h
            g;x=1/./y     | http://a/b/c/g;x=1/y
            g;x=1/../y    | http://a/b/c/y
            g?y/./x       | http://a/b/c/g?y/./x
            g?y/../x      | http://a/b/c/g?y/../x
            g#s/./x       | http://a/b/c/g#s/./x
            g#s/../x      | http://a/b/c/g#s/../x
            http:g        | http:g
            """)
    void resolvesEveryRfc3986Example(String reference, String expected) {
        assertThat(UriReference.resolve(RFC_BASE, UriReference.parse(reference)).toString())
                .isEqualTo(expected);
    }

    /** RFC 3986 §5.2.4, including the two worked examples given there. */
    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', textBlock = """
            /a/b/c/./../../g | /a/g
            mid/content=5/../6 | mid/6
            /..              | /
            /.               | /
            ..               | ''
            .                | ''
            ''               | ''
            /a/b/..          | /a/
            /a/./b/.         | /a/b/
            /a//../b         | /a/b
            ../../x          | x
            /a/.../b         | /a/.../b
            """)
    void removesDotSegments(String input, String expected) {
        assertThat(UriReference.removeDotSegments(input)).isEqualTo(expected);
    }

    @Test
    void splitsTheFiveComponentsAndKeepsEmptyOnesApartFromAbsentOnes() {
        assertThat(UriReference.parse("https://u@h:1/p/q?x=1#f"))
                .isEqualTo(new UriReference("https", "u@h:1", "/p/q", "x=1", "f"));
        assertThat(UriReference.parse("?#"))
                .isEqualTo(new UriReference(null, null, "", "", ""));
        assertThat(UriReference.parse(""))
                .isEqualTo(new UriReference(null, null, "", null, null));
        // A colon after the first '/' is not a scheme delimiter (Appendix B).
        assertThat(UriReference.parse("a/b:c").scheme()).isNull();
        assertThat(UriReference.parse(":x").scheme()).isNull();
    }

    @Test
    void mergesAgainstAnEmptyBasePathWithAuthorityAsRoot() {
        assertThat(UriReference.merge(UriReference.parse("http://a"), "g")).isEqualTo("/g");
        assertThat(UriReference.merge(UriReference.parse("http://a/x/y"), "g")).isEqualTo("/x/g");
        assertThat(UriReference.merge(UriReference.parse("urn:x"), "g")).isEqualTo("g");
    }
}
