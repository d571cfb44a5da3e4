#pragma once
// AT lexer: turns the modem's byte stream into lines, prompts and garbage.
//
// Pure and incremental: no I/O, no clock, no logging. Bytes may be fed in
// chunks split anywhere (inside "\r\n", inside a prompt); the events produced
// are the same for every split of the same byte stream.
//
// Line syntax (ITU-T V.250 5.7.1): information text and result codes are
// framed by <CR><LF>. Real modems vary (Wavecom echoes "AT+GMM\r\r\n", some
// send a lone CR or a lone LF), so any run of CR/LF bytes ends a line and
// empty lines are skipped.
//
// The prompt of AT+CMGS/AT+CMGW (27.005 3.5.1) is "<CR><LF>> " with no line
// end after it: the modem waits for the PDU. It is recognised at the start of
// a line. When the command layer says a prompt may come now, ">" alone is
// enough (some modems omit the space); otherwise "> " is needed, and is then
// reported too so the driver can notice a modem stuck waiting for a PDU that a
// dead previous process never sent.
//
// A PDU line (after +CMT:, +CDS:, +CMGL:, +CMGR:) cannot be told from other
// text by itself, so the command layer hints the lexer (as oFono's gatsyntax
// does); the hint only labels the next line and disables prompt detection in
// it.
//
// Garbage: a run of noise bytes (NUL and other C0 codes except TAB and the
// Ctrl-Z/ESC a modem echoes after a PDU; DEL; 0xFE/0xFF, which a port at the
// wrong baud rate mostly shows), together with any partial line it
// interrupted; the next ordinary byte starts a fresh line, so "\0\0OK\r\n"
// still yields the line "OK". Also a line longer than max_line: reported once
// with its first max_line bytes, the rest up to the next line end dropped.
// Memory stays bounded (max_line) whatever the modem sends.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace sms::at {

enum class Token : unsigned char {
  line,     // a complete line without CR/LF
  pdu,      // a complete line the command layer announced as a PDU
  prompt,   // the "> " prompt (the space, if any, is consumed)
  garbage,  // bytes that cannot be a line: control bytes, overlong line
};

struct LexEvent {
  Token kind = Token::line;
  std::string text;           // line / pdu / garbage bytes (garbage: at most max_line bytes)
  bool expected = true;       // prompt only: false when no prompt was announced
};

class Lexer {
 public:
  static constexpr std::size_t default_max_line = 4096;  // a +CMGL PDU line is < 400 bytes

  explicit Lexer(std::size_t max_line = default_max_line) noexcept;

  // Consumes bytes until one event completes or the input ends. Returns how
  // many bytes were consumed; `out` holds the event if one completed (else it
  // is reset). Call again with the rest of the input until it is used up. One
  // event at a time lets the command layer set hints between events.
  std::size_t feed(std::string_view bytes, std::optional<LexEvent>& out);

  // The next non-empty line is a PDU (Token::pdu); no prompt detection in it.
  void expect_pdu() noexcept { pdu_next_ = true; }
  // A prompt may come now (AT+CMGS=/AT+CMGW= was sent). Cleared when the
  // prompt is seen or when set to false.
  void expect_prompt(bool on) noexcept { prompt_expected_ = on; }
  bool prompt_expected() const noexcept { return prompt_expected_; }

  // Forget any partial line and all hints (port reopened).
  void reset() noexcept;

  std::size_t buffered() const noexcept { return buf_.size(); }

 private:
  std::size_t max_line_;
  std::string buf_;
  bool pdu_next_ = false;
  bool prompt_expected_ = false;
  bool discarding_ = false;    // inside an overlong line: drop until CR/LF
  bool swallow_space_ = false; // after ">": one following space belongs to the prompt
  bool has_control_ = false;   // buf_ holds a control byte: the line is garbage
};

// Printable form of arbitrary bytes for logs and test failure messages:
// printable ASCII as is, others as \r \n \xNN.
std::string escape_bytes(std::string_view bytes);

}  // namespace sms::at
