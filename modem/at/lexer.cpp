#include "modem/at/lexer.hpp"
