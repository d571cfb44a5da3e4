#pragma once
// Bounds-checked reading of a TPDU. Every failure leaves an error that names
// the field, the octet offset and how many octets were missing.
#include <cstddef>
#include <cstdint>
#include <string>

namespace sms::pdu::detail {

class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}

  std::size_t pos() const { return pos_; }
  std::size_t left() const { return size_ - pos_; }
  bool at_end() const { return pos_ == size_; }
  // The octets not read yet: here()[0 .. left()).
  const std::uint8_t* here() const { return data_ + pos_; }

  // Reads one octet for `field`; on failure sets err and returns false.
  bool octet(const char* field, std::uint8_t& v, std::string& err) {
    if (pos_ >= size_) {
      err = missing(field, 1);
      return false;
    }
    v = data_[pos_++];
    return true;
  }
  // Points p at n octets of `field` and advances.
  bool take(const char* field, std::size_t n, const std::uint8_t*& p, std::string& err) {
    if (n > size_ - pos_) {
      err = missing(field, n);
      return false;
    }
    p = data_ + pos_;
    pos_ += n;
    return true;
  }

  std::string missing(const char* field, std::size_t need) const {
    return std::string("PDU too short: ") + field + " at octet " + std::to_string(pos_) + " needs " +
           std::to_string(need) + (need == 1 ? " octet, " : " octets, ") + std::to_string(size_ - pos_) +
           " left";
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace sms::pdu::detail
