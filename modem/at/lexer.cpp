#include "modem/at/lexer.hpp"

namespace sms::at {

namespace {

bool is_line_end(unsigned char c) noexcept { return c == '\r' || c == '\n'; }

// Bytes no AT line holds: C0 controls other than TAB, Ctrl-Z and ESC (a modem
// with echo on repeats the PDU and its Ctrl-Z/ESC terminator, 27.005 3.5.1),
// DEL, and 0xFE/0xFF, which never occur in UTF-8 or the GSM/IRA character
// sets and are what a port at the wrong baud rate (or a modem powering up,
// SIMCom autobaud) mostly shows.
bool is_noise(unsigned char c) noexcept {
  if (c < 0x20) return c != '\t' && c != 0x1a && c != 0x1b && !is_line_end(c);
  return c == 0x7f || c == 0xfe || c == 0xff;
}

}  // namespace

Lexer::Lexer(std::size_t max_line) noexcept : max_line_(max_line < 16 ? 16 : max_line) {}

void Lexer::reset() noexcept {
  buf_.clear();
  pdu_next_ = false;
  prompt_expected_ = false;
  discarding_ = false;
  swallow_space_ = false;
  has_control_ = false;
}

std::size_t Lexer::feed(std::string_view bytes, std::optional<LexEvent>& out) {
  out.reset();
  auto emit = [&](Token kind, bool expected = true) {
    out.emplace();
    out->kind = kind;
    out->text.swap(buf_);
    out->expected = expected;
    buf_.clear();
    has_control_ = false;
  };

  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const auto c = static_cast<unsigned char>(bytes[i]);

    if (swallow_space_) {
      swallow_space_ = false;
      if (c == ' ') continue;
    }
    if (discarding_) {
      if (is_line_end(c)) discarding_ = false;
      continue;
    }

    // A run of noise bytes is one garbage event, ended by the first byte that
    // is not noise (re-read as the start of a fresh line) or by a line end.
    // A partial line interrupted by noise is part of the garbage: its bytes
    // cannot be trusted.
    if (has_control_) {
      if (is_noise(c) && buf_.size() < max_line_) {
        buf_.push_back(static_cast<char>(c));
        continue;
      }
      emit(Token::garbage);
      // A line end is consumed; anything else is read again by the next call.
      return is_line_end(c) ? i + 1 : i;
    }
    if (is_noise(c)) {
      has_control_ = true;
      buf_.push_back(static_cast<char>(c));
      continue;
    }

    if (is_line_end(c)) {
      if (buf_.empty()) continue;  // empty line, or the LF of CR LF
      Token kind = Token::line;
      if (pdu_next_) {
        kind = Token::pdu;
        pdu_next_ = false;
      }
      emit(kind);
      return i + 1;
    }

    if (c == '>' && buf_.empty() && !pdu_next_ && prompt_expected_) {
      // 27.005 3.5.1: "<CR><LF><greater_than><space>"; Telit and others may
      // omit the space, so ">" at a line start is enough when announced.
      prompt_expected_ = false;
      swallow_space_ = true;
      emit(Token::prompt, true);
      return i + 1;
    }
    if (c == ' ' && buf_ == ">" && !pdu_next_) {
      // "> " nobody announced: a modem still waiting for a PDU (a previous
      // process died after AT+CMGS=), or a prompt whose command was abandoned.
      const bool expected = prompt_expected_;
      prompt_expected_ = false;
      buf_.clear();
      emit(Token::prompt, expected);
      return i + 1;
    }

    buf_.push_back(static_cast<char>(c));
    if (buf_.size() >= max_line_) {
      // No AT line is this long: report it and drop the rest of it.
      emit(Token::garbage);
      discarding_ = true;
      return i + 1;
    }
  }
  return bytes.size();
}

std::string escape_bytes(std::string_view bytes) {
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '\r') {
      out += "\\r";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

}  // namespace sms::at
