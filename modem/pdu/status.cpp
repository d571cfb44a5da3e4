// TP-ST meanings (3GPP TS 23.040 9.2.3.15).
#include "modem/pdu/pdu.hpp"

namespace sms::pdu {

StatusClass classify_status(int tp_st) {
  // 0x00..0x1F: transaction completed; 0x20..0x3F: temporary error, SC still
  // trying; 0x40..0x5F: permanent error; 0x60..0x7F: temporary error, SC no
  // longer trying (final for us). Values with bit 7 set are reserved and
  // treated as a permanent failure, as 23.040 says for reserved values.
  if (tp_st < 0 || tp_st > 0xFF) return StatusClass::failed;
  if (tp_st <= 0x1F) return StatusClass::delivered;
  if (tp_st <= 0x3F) return StatusClass::pending;
  return StatusClass::failed;
}

std::string_view describe_status(int tp_st) {
  switch (tp_st) {
    case 0x00: return "delivered";
    case 0x01: return "forwarded, delivery not confirmed";
    case 0x02: return "replaced by the service centre";
    case 0x20: return "congestion, still trying";
    case 0x21: return "recipient busy, still trying";
    case 0x22: return "no response from recipient, still trying";
    case 0x23: return "service rejected, still trying";
    case 0x24: return "quality of service not available, still trying";
    case 0x25: return "error in recipient, still trying";
    case 0x40: return "remote procedure error";
    case 0x41: return "incompatible destination";
    case 0x42: return "connection rejected by recipient";
    case 0x43: return "not obtainable";
    case 0x44: return "quality of service not available";
    case 0x45: return "no interworking available";
    case 0x46: return "validity period expired";
    case 0x47: return "deleted by originating recipient";
    case 0x48: return "deleted by service centre administration";
    case 0x49: return "message does not exist";
    case 0x60: return "congestion, no longer trying";
    case 0x61: return "recipient busy, no longer trying";
    case 0x62: return "no response from recipient, no longer trying";
    case 0x63: return "service rejected, no longer trying";
    case 0x64: return "quality of service not available, no longer trying";
    case 0x65: return "error in recipient, no longer trying";
    default: break;
  }
  if (tp_st >= 0x03 && tp_st <= 0x1F) return "completed (reserved or SC-specific status)";
  if (tp_st >= 0x26 && tp_st <= 0x3F) return "temporary error, still trying (reserved or SC-specific status)";
  if (tp_st >= 0x4A && tp_st <= 0x5F) return "permanent error (reserved or SC-specific status)";
  if (tp_st >= 0x66 && tp_st <= 0x7F) return "temporary error, no longer trying (reserved or SC-specific status)";
  return "unknown status";
}

}  // namespace sms::pdu
