#include "modem/at/results.hpp"
