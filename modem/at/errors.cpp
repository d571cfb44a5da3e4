#include "modem/at/errors.hpp"
