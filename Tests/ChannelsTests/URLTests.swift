import Channels
import Testing

@Suite struct URLTests {
    @Test func encodesValuesAndRedactsSecrets() {
        let url = URLWithQuery("https://oapi.dingtalk.com/robot/send")
            .appending("access_token", "ab cd+/=", secret: true)
            .appending("timestamp", "1795480208000")
            .appending("sign", "xx6r+6lUYAn/U3Vf=", secret: true)
        #expect(
            url.text
                == "https://oapi.dingtalk.com/robot/send?access_token=ab%20cd%2B%2F%3D&timestamp=1795480208000&sign=xx6r%2B6lUYAn%2FU3Vf%3D"
        )
        #expect(
            url.redacted == "https://oapi.dingtalk.com/robot/send?access_token=***&timestamp=1795480208000&sign=***"
        )
        #expect(URLWithQuery.encode("党-._~") == "%E5%85%9A-._~")
    }

    @Test func appendsToAnExistingQuery() {
        #expect(
            URLWithQuery("http://127.0.0.1:8080/send?debug=1").appending("key", "k").text
                == "http://127.0.0.1:8080/send?debug=1&key=k"
        )
    }
}
