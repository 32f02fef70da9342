package io.statuspolicy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Host literals in every form a URI parser or resolver accepts, and the scope each points to. */
class AddressScopeTest {

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', textBlock = """
            127.0.0.1                 | LOOPBACK
            127.255.255.254           | LOOPBACK
            2130706433                | LOOPBACK
            0x7f000001                | LOOPBACK
            0X7F000001                | LOOPBACK
            017700000001              | LOOPBACK
            0x7f.1                    | LOOPBACK
            0x7f.0.0.1                | LOOPBACK
            0177.0.0.1                | LOOPBACK
            0177.1                    | LOOPBACK
            127.1                     | LOOPBACK
            127.0.1                   | LOOPBACK
            127.0.0.1.                | LOOPBACK
            localhost                 | LOOPBACK
            LocalHost                 | LOOPBACK
            localhost.                | LOOPBACK
            api.localhost             | LOOPBACK
            [::1]                     | LOOPBACK
            ::1                       | LOOPBACK
            [0:0:0:0:0:0:0:1]         | LOOPBACK
            [::ffff:127.0.0.1]        | LOOPBACK
            [::ffff:7f00:1]           | LOOPBACK
            [::127.0.0.1]             | LOOPBACK
            [::ffff:0:127.0.0.1]      | LOOPBACK
            [64:ff9b::127.0.0.1]      | LOOPBACK
            169.254.169.254           | LINK_LOCAL
            2852039166                | LINK_LOCAL
            0xa9.0xfe.0xa9.0xfe       | LINK_LOCAL
            0251.0376.0251.0376       | LINK_LOCAL
            169.254.43518             | LINK_LOCAL
            [fe80::1]                 | LINK_LOCAL
            [FE80::1%25eth0]          | LINK_LOCAL
            [febf:ffff::1]            | LINK_LOCAL
            [::ffff:169.254.169.254]  | LINK_LOCAL
            10.0.0.1                  | PRIVATE
            10.255.255.255            | PRIVATE
            167772161                 | PRIVATE
            012.0.0.1                 | PRIVATE
            010.0.0.1                 | PRIVATE
            172.16.0.1                | PRIVATE
            172.31.255.255            | PRIVATE
            192.168.1.1               | PRIVATE
            0xc0a80101                | PRIVATE
            100.64.0.1                | PRIVATE
            100.100.100.200           | PRIVATE
            [fc00::1]                 | PRIVATE
            [fd12:3456:789a::1]       | PRIVATE
            [fec0::1]                 | PRIVATE
            [::ffff:10.0.0.1]         | PRIVATE
            [::ffff:192.168.0.1]      | PRIVATE
            0.0.0.0                   | UNSPECIFIED
            0                         | UNSPECIFIED
            0x0                       | UNSPECIFIED
            0.1.2.3                   | UNSPECIFIED
            [::]                      | UNSPECIFIED
            [::ffff:0.0.0.0]          | UNSPECIFIED
            8.8.8.8                   | PUBLIC
            134744072                 | PUBLIC
            172.15.255.255            | PUBLIC
            172.32.0.1                | PUBLIC
            169.253.255.255           | PUBLIC
            100.63.255.255            | PUBLIC
            100.128.0.1               | PUBLIC
            192.169.0.1               | PUBLIC
            11.0.0.1                  | PUBLIC
            128.0.0.1                 | PUBLIC
            [2001:db8::1]             | PUBLIC
            [::ffff:8.8.8.8]          | PUBLIC
            [fe7f::1]                 | PUBLIC
            [fbff::1]                 | PUBLIC
            [64:ff9b::8.8.8.8]        | PUBLIC
            a.test                    | PUBLIC
            localhost.a.test          | PUBLIC
            mylocalhost               | PUBLIC
            127.0.0.1.a.test          | PUBLIC
            0x7g.0.0.1                | PUBLIC
            08.0.0.1                  | PUBLIC
            256.0.0.1                 | PUBLIC
            1.2.3.4.5                 | PUBLIC
            127..1                    | PUBLIC
            4294967296                | PUBLIC
            ''                        | PUBLIC
            [not-ipv6]                | PUBLIC
            """)
    void everyFormOfAHostLiteralIsJudgedByWhereItPoints(String host, AddressScope expected) {
        assertThat(AddressScope.ofHost(host)).isEqualTo(expected);
        assertThat(AddressScope.ofHost(host).isInternal()).isEqualTo(expected != AddressScope.PUBLIC);
    }

    @ParameterizedTest(name = "{0} read by inet_aton is {1}, by java.net {2}")
    @CsvSource(delimiter = '|', textBlock = """
            0177.0.0.1   | 2130706433 | 2969567233
            127.1        | 2130706433 | 2130706433
            0x7f.1       | 2130706433 | -1
            255.255.255.255 | 4294967295 | 4294967295
            1.2.3.256    | -1         | -1
            1.2.65535    | 16973823   | 16973823
            1.2.65536    | -1         | -1
            """)
    void numericFormsAreReadAsTheResolversReadThem(String host, long asInetAton, long asDecimal) {
        assertThat(AddressScope.parseIpv4(host, false)).isEqualTo(asInetAton);
        assertThat(AddressScope.parseIpv4(host, true)).isEqualTo(asDecimal);
    }
}
