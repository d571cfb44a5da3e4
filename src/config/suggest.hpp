#pragma once
// "Did you mean ...?" for misspelt element and attribute names.
#include <string>
#include <string_view>
#include <vector>

namespace sms::config {

// Edit distance (insert, delete, substitute, swap of neighbours) where a
// change of letter case costs nothing, so "baudrate" is 0 away from "baudRate".
int name_distance(std::string_view a, std::string_view b);

// The known name closest to `name`, or "" when none is close enough to be a
// plausible typo (distance at most 1 for short names, 2 from 5 letters, a
// third of the length for long ones). Ties go to the first candidate.
std::string closest_name(std::string_view name, const std::vector<std::string_view>& known);

}  // namespace sms::config
