#include "jose/base64url.hpp"
