#include "modem/at/parser.hpp"
